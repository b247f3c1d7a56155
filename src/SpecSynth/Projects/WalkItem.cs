namespace SpecSynth.Projects;

/// <summary>One entry of a folder's listing, before any ignore rule. A class, not a struct: the enumerator and list code
/// for a reference type is shared and precompiled (ReadyToRun), while a struct instantiation ran as tier-0 code for the
/// whole cold walk.</summary>
/// <param name="Name">The entry's name.</param>
/// <param name="IsDirectory">A folder, or a link to one.</param>
/// <param name="IsLink">A symbolic link.</param>
internal sealed record WalkItem(string Name, bool IsDirectory, bool IsLink);
