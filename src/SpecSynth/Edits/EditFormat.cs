namespace SpecSynth.Edits;

/// <summary>How a reply changed a file.</summary>
internal enum EditFormat
{
    /// <summary>SEARCH/REPLACE blocks (aider's format).</summary>
    SearchReplace,

    /// <summary>Unified diff hunks in a <c>```diff</c> fence.</summary>
    UnifiedDiff,
}
