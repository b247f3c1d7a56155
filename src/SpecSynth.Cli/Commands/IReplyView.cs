namespace SpecSynth.Cli.Commands;

/// <summary>Shows a streamed reply's progress: <see cref="LiveProgressView"/> on a terminal, <see cref="ProgressReporter"/> otherwise.</summary>
internal interface IReplyView : IDisposable
{
    /// <summary>A delta of the reply.</summary>
    void Report(string value);

    /// <summary>The stream restarted from the beginning.</summary>
    void Restarted();

    /// <summary>The reply is complete.</summary>
    void Finish(long outputTokens);
}
