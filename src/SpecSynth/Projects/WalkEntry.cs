using SpecSynth.Context.Index;

namespace SpecSynth.Projects;

/// <summary>A file found by <see cref="ProjectWalker"/>.</summary>
/// <param name="RelativePath">Path relative to the root, <c>/</c>-separated.</param>
/// <param name="FullPath">Absolute path on disk.</param>
/// <param name="Bytes">Size on disk.</param>
/// <param name="IsSymlink">The entry is a symbolic link (never read: it may point outside the project).</param>
internal sealed record WalkEntry(string RelativePath, string FullPath, long Bytes, bool IsSymlink)
{
    /// <summary>The file's signature (size, times, inode; a link's own) as the walk took it, or <c>null</c> when the walk
    /// could not read it or the entry was not made by a walk. The context index keys files by it.</summary>
    public FileSignature? Signature { get; init; }
}
