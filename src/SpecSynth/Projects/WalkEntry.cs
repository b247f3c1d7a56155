namespace SpecSynth.Projects;

/// <summary>A file found by <see cref="ProjectWalker"/>.</summary>
/// <param name="RelativePath">Path relative to the root, <c>/</c>-separated.</param>
/// <param name="FullPath">Absolute path on disk.</param>
/// <param name="Bytes">Size on disk.</param>
/// <param name="IsSymlink">The entry is a symbolic link (never read: it may point outside the project).</param>
internal sealed record WalkEntry(string RelativePath, string FullPath, long Bytes, bool IsSymlink);
