namespace SpecSynth.Projects;

/// <summary>What one walk took from its <see cref="WalkCache"/> (for benchmarks and tests).</summary>
/// <param name="CacheLoaded">A valid cache was found.</param>
/// <param name="FoldersReused">Folders whose listing came from the cache.</param>
/// <param name="FoldersListed">Folders listed from the disk.</param>
/// <param name="IgnoreFilesRead">Ignore files read from the disk.</param>
/// <param name="CacheWritten">The cache was written (something changed, or there was none).</param>
internal sealed record WalkStats(bool CacheLoaded, int FoldersReused, int FoldersListed, int IgnoreFilesRead, bool CacheWritten);
