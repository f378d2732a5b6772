import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from '@tanstack/react-router';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { ApiError, apiClient, setCsrfToken, unwrap } from '../../api/client.ts';
import { type Me, meQuery } from '../../api/session.ts';
import { InlineError, Loading } from '../../ui/states.tsx';
import { loginRoute } from './route.tsx';

const MIN_PASSWORD = 12;

function Card({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-100 p-4">
      <div className="card w-full max-w-sm p-6 shadow-sm">
        <p className="mb-1 text-sm font-bold tracking-tight text-slate-500">AWA</p>
        <h1 className="mb-4 text-xl font-semibold text-slate-900">{title}</h1>
        {children}
      </div>
    </main>
  );
}

function SignInForm({ onSignedIn }: { onSignedIn: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await unwrap(
        apiClient.POST('/api/v1/auth/login', { body: { email: email.trim(), password } }),
      );
      setCsrfToken(res.csrf_token);
      onSignedIn();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <Card title="Sign in">
      <form onSubmit={submit} className="space-y-3" noValidate>
        <div>
          <label htmlFor="email" className="label">
            Email
          </label>
          <input
            id="email"
            type="email"
            autoComplete="username"
            required
            className="input w-full"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="password" className="label">
            Password
          </label>
          <input
            id="password"
            type="password"
            autoComplete="current-password"
            required
            className="input w-full"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {error ? <InlineError error={error} /> : null}
        <button
          type="submit"
          className="btn btn-primary w-full justify-center"
          disabled={busy || !email || !password}
        >
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </Card>
  );
}

function ChangePasswordForm({ me, onChanged }: { me: Me; onChanged: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const mismatch = repeat !== '' && next !== repeat;
  const tooShort = next !== '' && next.length < MIN_PASSWORD;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (mismatch || tooShort) return;
    setBusy(true);
    setError(null);
    try {
      await unwrap(
        apiClient.POST('/api/v1/auth/password', { body: { current_password: current, new_password: next } }),
      );
      onChanged();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <Card title="Choose a new password">
      <p className="mb-3 text-sm text-slate-700">
        {me.email ?? me.name}: your password was set by an administrator. Choose your own before going on.
      </p>
      <form onSubmit={submit} className="space-y-3" noValidate>
        <div>
          <label htmlFor="current-password" className="label">
            Current password
          </label>
          <input
            id="current-password"
            type="password"
            autoComplete="current-password"
            className="input w-full"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="new-password" className="label">
            New password
          </label>
          <input
            id="new-password"
            type="password"
            autoComplete="new-password"
            aria-describedby="new-password-hint"
            aria-invalid={tooShort || undefined}
            className="input w-full"
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
          <p
            id="new-password-hint"
            className={`mt-1 text-xs ${tooShort ? 'text-red-800' : 'text-slate-600'}`}
          >
            At least {MIN_PASSWORD} characters.
          </p>
        </div>
        <div>
          <label htmlFor="repeat-password" className="label">
            Repeat the new password
          </label>
          <input
            id="repeat-password"
            type="password"
            autoComplete="new-password"
            aria-invalid={mismatch || undefined}
            aria-describedby={mismatch ? 'repeat-hint' : undefined}
            className="input w-full"
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
          />
          {mismatch ? (
            <p id="repeat-hint" className="mt-1 text-xs text-red-800">
              The two new passwords differ.
            </p>
          ) : null}
        </div>
        {error ? <InlineError error={error} /> : null}
        <button
          type="submit"
          className="btn btn-primary w-full justify-center"
          disabled={busy || !current || !next || next !== repeat || tooShort}
        >
          {busy ? 'Saving…' : 'Change password'}
        </button>
      </form>
    </Card>
  );
}

export default function LoginPage() {
  const { next } = loginRoute.useSearch();
  const router = useRouter();
  const queryClient = useQueryClient();
  const me = useQuery({ ...meQuery, staleTime: 0 });

  const signedIn = me.data && !me.data.must_change_password;
  useEffect(() => {
    if (signedIn) router.history.push(next ?? '/');
  }, [signedIn, next, router]);

  const refresh = () => void queryClient.invalidateQueries({ queryKey: meQuery.queryKey });

  if (me.isPending || signedIn) return <Loading label="Checking your session…" />;
  if (me.data?.must_change_password) return <ChangePasswordForm me={me.data} onChanged={refresh} />;
  if (me.error && !(me.error instanceof ApiError && me.error.status === 401)) {
    // the API is down or answered oddly: say so, and still offer the form
    return (
      <>
        <div className="fixed inset-x-0 top-0 p-3">
          <InlineError error={me.error} />
        </div>
        <SignInForm onSignedIn={refresh} />
      </>
    );
  }
  return <SignInForm onSignedIn={refresh} />;
}
