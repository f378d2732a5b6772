// Loaded with `node --import` by the import bench: reports the process's peak RSS on exit.
process.on('exit', () => {
  process.stderr.write(`\nPEAK_RSS_KB ${process.resourceUsage().maxRSS}\n`);
});
