using SpecSynth.Validation;
using SpecSynth.Generation.Repair;

namespace SpecSynth.Jobs;

/// <summary>Turns what the verifier does after the reply (validating, the check, repair rounds, the self-review, their
/// streamed replies) into <see cref="StageEvent"/>s and <see cref="ReplyDeltaEvent"/>s.</summary>
internal sealed class StageEvents(EventSink sink) : IVerifyProgress, IProgress<string>
{
    public void Validating(int round, int files) => sink.Report(new ValidatingEvent(round, files));

    public void CheckStarted(int round, string command) => sink.Report(new CheckRunningEvent(round, command));

    public void CheckOutput(string line) => sink.Report(new CheckOutputEvent(line));

    public void CheckFinished(CheckResult result) => sink.Report(new CheckFinishedEvent(result));

    public void Repairing(int round, int maxRounds, int errors, bool checkFailed) => sink.Report(new RepairRoundEvent(round, maxRounds, errors, checkFailed));

    public void Reviewing() => sink.Report(new SelfReviewEvent());

    public void Report(string value) => sink.Report(new ReplyDeltaEvent(value));
}
