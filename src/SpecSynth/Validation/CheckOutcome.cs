namespace SpecSynth.Validation;

/// <summary>What the <c>--check</c> command said about the final files.</summary>
internal enum CheckOutcome
{
    /// <summary>No check command was run.</summary>
    NotRun,

    /// <summary>The check command exited with 0.</summary>
    Passed,

    /// <summary>The check command failed or timed out.</summary>
    Failed,
}
