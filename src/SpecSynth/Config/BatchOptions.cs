namespace SpecSynth.Config;

/// <summary>The <c>[batch]</c> settings: when <c>generate</c> goes through the providers' batch APIs (Anthropic Message
/// Batches, OpenAI Batch) at half the price, and how often a running batch is polled.</summary>
public sealed record BatchOptions
{
    /// <summary>The default first poll interval: 5 seconds (doubled after each poll up to a minute).</summary>
    public static TimeSpan DefaultPollInterval { get; } = TimeSpan.FromSeconds(5);

    /// <summary><c>[batch] enabled</c> (default <c>false</c>): runs of at least <see cref="MinSpecs"/> specs go through a batch
    /// as with <c>--batch</c>.</summary>
    public bool Enabled { get; init; }

    /// <summary><c>[batch] min_specs</c> (default 2): the fewest specs a run needs before <see cref="Enabled"/> batches it.</summary>
    public int MinSpecs { get; init; } = 2;

    /// <summary><c>[batch] poll_seconds</c>: the first wait between polls (default 5 seconds; doubled after each poll up to
    /// 60 seconds, or this value when larger).</summary>
    public TimeSpan PollInterval { get; init; } = DefaultPollInterval;
}
