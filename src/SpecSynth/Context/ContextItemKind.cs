namespace SpecSynth.Context;

/// <summary>What a <see cref="ContextItem"/> is, in the planner's priority order (the spec first).</summary>
public enum ContextItemKind
{
    /// <summary>The specification (with its title, requirements, language and framework): always sent whole.</summary>
    Specification,

    /// <summary>A project file related to the spec (from the relevance ranking).</summary>
    File,

    /// <summary>The project structure (the list of paths).</summary>
    ProjectTree,

    /// <summary>A file an earlier turn of the conversation wrote (<c>--continue</c>).</summary>
    PreviousImplementation,
}
