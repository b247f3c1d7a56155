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

    /// <summary>Ended by SIGHUP (128 + 1).</summary>
    public const int HungUp = 129;

    /// <summary>Ended by SIGTERM (128 + 15).</summary>
    public const int Terminated = 143;

    /// <summary>The exit code of a run a signal cancelled: 128 + the signal number (SIGINT, SIGHUP, SIGTERM); 130 when none is known.</summary>
    public static int ForSignal(int signal) => signal is 1 or 15 ? 128 + signal : Interrupted;

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
        Interrupted or HungUp or Terminated => "interrupted",
        _ => "internal_error",
    };
}
