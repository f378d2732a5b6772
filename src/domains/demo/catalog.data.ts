/** The fixed ingredients of the demo catalogue: vendors, brands and amazon.de categories. */

export type VendorKey = 'de' | 'it' | 'gb' | 'pl';

export interface DemoVendor {
  key: VendorKey;
  name: string;
  email: string;
  country: string;
  currency: string;
  leadTimeDays: number;
  /** How many products this vendor is the first source of. */
  products: number;
  brands: readonly string[];
  /** GS1 prefix of the country its brands register barcodes in. */
  gs1: string;
}

// `.example` is reserved for examples (RFC 2606): these addresses can never reach anyone.
export const VENDORS: readonly DemoVendor[] = [
  {
    key: 'de',
    name: 'Rheinland Großhandel GmbH',
    email: 'einkauf@rheinland-grosshandel.example',
    country: 'DE',
    currency: 'EUR',
    leadTimeDays: 5,
    products: 190,
    brands: ['Rheinwerk', 'Alpenstahl', 'Nordhaus', 'Hansekind', 'Schwarzwald Living', 'Elbkontor'],
    gs1: '40',
  },
  {
    key: 'it',
    name: 'Milano Forniture S.r.l.',
    email: 'ordini@milanoforniture.example',
    country: 'IT',
    currency: 'EUR',
    leadTimeDays: 12,
    products: 120,
    brands: ['Casa Bella', 'Milano Cucina', 'Dolce Forma', 'Terra Toscana', 'Arte Firenze'],
    gs1: '80',
  },
  {
    key: 'gb',
    name: 'Thames Trade Supplies Ltd',
    email: 'sales@thamestrade.example',
    country: 'GB',
    currency: 'GBP',
    leadTimeDays: 14,
    products: 110,
    brands: ['Thames & Co', 'Oakridge', 'Brighton Home', 'Kingsley'],
    gs1: '50',
  },
  {
    key: 'pl',
    name: 'Wisła Hurt Sp. z o.o.',
    email: 'biuro@wislahurt.example',
    country: 'PL',
    currency: 'PLN',
    leadTimeDays: 9,
    products: 80,
    brands: ['Baltica', 'Wisła Home', 'Mazury Outdoor', 'Krakowski Warsztat'],
    gs1: '59',
  },
];

export const DEMO_VENDOR_NAMES: readonly string[] = VENDORS.map((v) => v.name);

export interface DemoCategory {
  name: string;
  /** Product types with the variants they come in. */
  items: ReadonlyArray<readonly [string, readonly string[]]>;
  /** Buy box range in euros. */
  price: readonly [number, number];
  /** Shipping weight range in kg. */
  weight: readonly [number, number];
  /** Amazon.de referral fee rate of the category. */
  referralRate: number;
  /** Share of units customers send back. */
  returnRate: number;
}

export const CATEGORIES: readonly DemoCategory[] = [
  {
    name: 'Küche, Haushalt & Wohnen',
    items: [
      ['Edelstahl-Trinkflasche', ['500 ml, Schwarz', '750 ml, Weiß', '1 L, Anthrazit']],
      ['Bambus-Schneidebrett-Set', ['3-teilig', '2-teilig mit Saftrille']],
      ['Silikon-Backmatte', ['2er-Pack', '40 x 30 cm']],
      ['Gewürzregal', ['Wandmontage, Eiche', 'drehbar, 16 Gläser']],
      ['Glas-Vorratsdosen-Set', ['6 Stück', '4 x 1,5 L']],
      ['Messerblock', ['Eiche, unbestückt', 'magnetisch']],
      ['Kaffeedose luftdicht', ['500 g, Edelstahl', '1 kg, Schwarz']],
      ['Salatschleuder', ['5 L', '3 L, faltbar']],
      ['Brotkasten', ['Bambus', 'Metall, Weiß']],
    ],
    price: [9, 49],
    weight: [0.2, 2.5],
    referralRate: 0.15,
    returnRate: 0.03,
  },
  {
    name: 'Drogerie & Körperpflege',
    items: [
      ['Bambus-Zahnbürsten', ['4er-Pack', '8er-Pack, mittel']],
      ['Rasierpinsel', ['Dachshaar', 'vegan, Holzgriff']],
      ['Haarbürste', ['Holz, oval', 'Wildschweinborsten']],
      ['Nagelpflege-Set', ['7-teilig', '12-teilig, Rosé']],
      ['Kosmetiktasche', ['Grau', 'zum Aufhängen']],
      ['Reiseflaschen-Set', ['8 Stück, 100 ml', '4 x 60 ml']],
    ],
    price: [6, 26],
    weight: [0.05, 0.6],
    referralRate: 0.15,
    returnRate: 0.02,
  },
  {
    name: 'Spielzeug',
    items: [
      ['Holzpuzzle Tiere', ['ab 2 Jahren', '6 Motive']],
      ['Bauklötze Natur', ['50 Teile', '100 Teile']],
      ['Magnet-Angelspiel', ['Holz, 10 Fische']],
      ['Stapelturm Regenbogen', ['12 Teile', 'XXL']],
      ['Murmelbahn', ['70 Teile', '120 Teile']],
    ],
    price: [12, 59],
    weight: [0.3, 3],
    referralRate: 0.15,
    returnRate: 0.04,
  },
  {
    name: 'Sport & Freizeit',
    items: [
      ['Springseil', ['verstellbar', 'mit Kugellager']],
      ['Widerstandsbänder', ['5er-Set', 'Stoff, 3 Stärken']],
      ['Yogablock Kork', ['2er-Pack', 'groß']],
      ['Trinkrucksack', ['1,5 L', '2 L, Blau']],
      ['Fahrradlicht-Set', ['StVZO, USB', 'LED, wasserdicht']],
    ],
    price: [8, 49],
    weight: [0.2, 2],
    referralRate: 0.15,
    returnRate: 0.05,
  },
  {
    name: 'Baumarkt',
    items: [
      ['Bit-Satz', ['32-teilig', '60-teilig, Magnethalter']],
      ['Wasserwaage', ['60 cm', '100 cm, magnetisch']],
      ['Cuttermesser-Set', ['3 Stück', 'mit 20 Klingen']],
      ['Kabelbinder-Sortiment', ['500 Stück', '1000 Stück, schwarz']],
      ['LED-Arbeitsleuchte', ['20 W', '50 W, Akku']],
    ],
    price: [7, 55],
    weight: [0.2, 3],
    referralRate: 0.12,
    returnRate: 0.03,
  },
  {
    name: 'Haustier',
    items: [
      ['Hundenapf Edelstahl', ['2er-Set', 'rutschfest, 1,8 L']],
      ['Katzenspielzeug-Set', ['10-teilig', '24-teilig']],
      ['Kotbeutel', ['300 Stück', '600 Stück, kompostierbar']],
      ['Hundeleine reflektierend', ['2 m', '5 m']],
      ['Kratzbrett', ['Wellpappe', '3er-Pack']],
    ],
    price: [6, 35],
    weight: [0.1, 2.5],
    referralRate: 0.15,
    returnRate: 0.03,
  },
  {
    name: 'Bürobedarf & Schreibwaren',
    items: [
      ['Schreibtisch-Organizer', ['Bambus', 'Metall, Schwarz']],
      ['Notizbücher A5', ['3er-Pack, liniert', 'gepunktet']],
      ['Gelschreiber-Set', ['12 Farben', '24 Farben']],
      ['Locher', ['bis 30 Blatt', 'bis 40 Blatt']],
      ['Whiteboard-Marker', ['8 Stück', '12 Stück, magnetisch']],
    ],
    price: [5, 30],
    weight: [0.1, 1.5],
    referralRate: 0.15,
    returnRate: 0.01,
  },
  {
    name: 'Garten',
    items: [
      ['Pflanzkübel', ['40 cm', '2er-Set, Anthrazit']],
      ['Gartenschere', ['Bypass', 'Amboss']],
      ['Bewässerungs-Set', ['Tropf, 30 m', 'Tropf, 15 m']],
      ['Solar-Gartenleuchten', ['8 Stück', '4 Stück, warmweiß']],
      ['Vogelhaus Holz', ['zum Aufhängen', 'mit Ständer']],
    ],
    price: [10, 60],
    weight: [0.3, 5],
    referralRate: 0.15,
    returnRate: 0.04,
  },
];

/** Amazon.de FBA fulfilment fee by shipping weight (kg, cents); an approximation of the 2025 card. */
export const FULFILMENT_FEES: ReadonlyArray<readonly [number, number]> = [
  [0.1, 270],
  [0.25, 309],
  [0.5, 342],
  [1, 413],
  [1.5, 470],
  [2, 508],
  [3, 582],
  [5, 647],
  [10, 739],
];

/** Monthly storage fee per cubic decimetre (Jan–Sep rate, ≈ €26 per m³). */
export const STORAGE_CENTS_PER_DM3 = 2.6;

/** Fulfilment centres the demo's stock sits in. */
export const FULFILMENT_CENTRES = ['LEJ1', 'FRA7', 'DUS2', 'MUC3', 'BER3'] as const;

/**
 * Freight lanes to amazon.de warehouses (€ per kg). DHL:DE:DE:standard is the configured default
 * lane (ROI_FREIGHT_LANE); the express lane shows that ROI picks the default carrier's service.
 */
export const LANES = [
  { carrier: 'DHL', origin: 'DE', service: 'standard', eurPerKg: '0.3500' },
  { carrier: 'DHL', origin: 'DE', service: 'express', eurPerKg: '0.8900' },
  { carrier: 'DSV', origin: 'IT', service: 'road', eurPerKg: '0.6000' },
  { carrier: 'DHL', origin: 'GB', service: 'standard', eurPerKg: '0.9500' },
  { carrier: 'Raben', origin: 'PL', service: 'road', eurPerKg: '0.4500' },
] as const;

/** Euros per unit of the vendor currencies, around which the daily rates move. */
export const FX_BASE: Readonly<Record<string, number>> = { GBP: 1.17, PLN: 0.232, USD: 0.92 };
