using SpecSynth.Context.Index;

namespace SpecSynth.Projects;

/// <summary>An ignore file as the walk read it, kept in the <see cref="WalkCache"/>: its text is used again while its
/// signature is unchanged.</summary>
/// <param name="Name">The file's name in its folder (<c>.gitignore</c> or <c>.specsynthignore</c>).</param>
/// <param name="Signature">Its signature, taken before it was read (links followed).</param>
/// <param name="Trusted">As loaded: its times were older than the racy window before the cache was written, so an unchanged
/// signature means an unchanged text (not stored: taken from the cache's own time when loaded).</param>
/// <param name="Text">What it held.</param>
internal sealed record IgnoreFileRecord(string Name, FileSignature Signature, bool Trusted, string Text);
