namespace SpecSynth.Cli;

/// <summary>The process exit codes: public API, documented in the README. Decided in one place.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int InternalError = 1;
    public const int BadInput = 2;
    public const int Auth = 3;
    public const int ProviderUnavailable = 4;
    public const int UnusableOutput = 5;
    public const int BudgetExceeded = 6;
    public const int Interrupted = 130;

    public static int For(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidInput => BadInput,
        ErrorKind.Auth => Auth,
        ErrorKind.ProviderUnavailable => ProviderUnavailable,
        ErrorKind.UnusableOutput => UnusableOutput,
        ErrorKind.BudgetExceeded => BudgetExceeded,
        _ => InternalError,
    };

    public static string Name(int code) => code switch
    {
        Ok => "ok",
        BadInput => "bad_input",
        Auth => "auth",
        ProviderUnavailable => "provider_unavailable",
        UnusableOutput => "unusable_output",
        BudgetExceeded => "budget_exceeded",
        Interrupted => "interrupted",
        _ => "internal_error",
    };
}
