using SpecSynth.Context.Index;

namespace SpecSynth.Projects;

/// <summary>A folder's listing as the walk took it, kept in the <see cref="WalkCache"/>: a later walk uses it again
/// instead of listing the folder while the folder's signature is unchanged (adding, removing or renaming an entry changes
/// the folder's modification time; editing a file in place does not, which is why every file is still looked up).</summary>
/// <param name="Prefix">The folder's path relative to the root with a trailing <c>/</c> (empty for the root).</param>
/// <param name="Signature">The folder's signature, taken before it was listed.</param>
/// <param name="Trusted">As loaded: its times were older than the racy window before the cache was written, so an unchanged
/// signature means an unchanged listing (not stored: taken from the cache's own time when loaded).</param>
/// <param name="Items">Every entry, in ordinal order, before any ignore rule.</param>
/// <param name="IgnoreFiles">The ignore files it held.</param>
/// <param name="Kept">Per item, whether the walk kept it (not pruned, not ignored): still the decision while the folder's
/// listing and every ignore file from the root down to it are unchanged.</param>
internal sealed record FolderRecord(string Prefix, FileSignature Signature, bool Trusted, List<WalkItem> Items, IReadOnlyList<IgnoreFileRecord> IgnoreFiles,
    bool[] Kept);
