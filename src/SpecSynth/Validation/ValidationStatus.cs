namespace SpecSynth.Validation;

/// <summary>What validating one generated file found.</summary>
public enum ValidationStatus
{
    /// <summary>A validator checked the file and found no error.</summary>
    Valid,

    /// <summary>A validator checked the file and found at least one error.</summary>
    Invalid,

    /// <summary>No validator exists for the file's language, or the checker could not finish; never read as valid.</summary>
    Unvalidated,

    /// <summary>An external checker is configured for the language but its executable is not on <c>PATH</c>.</summary>
    CheckerMissing,
}
