using SpecSynth.Validation;

namespace SpecSynth.Generation.Repair;

/// <summary>
/// Hears what <see cref="RepairLoop"/> and <see cref="GenerationVerifier"/> are doing after the model answered, so a
/// front end can show it: validating, the check command (with its output lines as they arrive), each repair round and
/// the self-review. Calls may come from other threads (check output lines); implementations must be thread-safe.
/// </summary>
internal interface IVerifyProgress
{
    /// <summary>Round <paramref name="round"/>'s <paramref name="files"/> files are being validated (0: the first reply).</summary>
    void Validating(int round, int files);

    /// <summary>The check command starts on round <paramref name="round"/>'s files.</summary>
    void CheckStarted(int round, string command);

    /// <summary>One line the running check command printed (standard output or error).</summary>
    void CheckOutput(string line);

    /// <summary>The check command ended.</summary>
    void CheckFinished(CheckResult result);

    /// <summary>Repair request <paramref name="round"/> of at most <paramref name="maxRounds"/> is being sent, for
    /// <paramref name="errors"/> errors and, when <paramref name="checkFailed"/>, the failed check.</summary>
    void Repairing(int round, int maxRounds, int errors, bool checkFailed);

    /// <summary>The self-review request is being sent.</summary>
    void Reviewing();
}
