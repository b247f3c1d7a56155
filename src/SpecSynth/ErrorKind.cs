namespace SpecSynth;

/// <summary>The classes of failure the CLI turns into distinct exit codes.</summary>
public enum ErrorKind
{
    /// <summary>Bad input or usage: unreadable spec, invalid configuration, bad flag (exit 2).</summary>
    InvalidInput,

    /// <summary>Authentication failed or an API key is missing (exit 3).</summary>
    Auth,

    /// <summary>No provider could answer after retries and fallbacks (exit 4).</summary>
    ProviderUnavailable,

    /// <summary>The model's output is unusable or unsafe to write (exit 5).</summary>
    UnusableOutput,

    /// <summary>A cost budget would be exceeded (exit 6).</summary>
    BudgetExceeded,
}
