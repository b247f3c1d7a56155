using Microsoft.Extensions.AI;
using SpecSynth.Middleware;
using SpecSynth.Usage;

namespace SpecSynth;

/// <summary>The settings of <see cref="SpecSynthChatClientBuilderExtensions.UseSpecSynthUsageLedger(ChatClientBuilder, UsageLedgerLayerOptions, TimeProvider)"/>.</summary>
public sealed record UsageLedgerLayerOptions
{
    /// <summary>The state folder whose usage ledger (<c>usage.db</c>) and audit log (<c>audit.jsonl</c>) record the calls
    /// (the folder <c>specsynth usage</c> reads). Required.</summary>
    public required string StateFolder { get; init; }

    /// <summary>The provider's name in the rows. Default <c>host</c>.</summary>
    public string Provider { get; init; } = SpecSynthChatClientBuilderExtensions.HostProvider;

    /// <summary>The model, when the client's replies do not name it; <c>null</c> for none.</summary>
    public string? Model { get; init; }

    /// <summary>The model's prices, to record each call's cost; <c>null</c> records no cost.</summary>
    public TokenPrices? Pricing { get; init; }

    /// <summary>Whether the audit log keeps the prompts and replies (redacted). Default: hashes only.</summary>
    public AuditOptions Audit { get; init; } = new();

    /// <summary>The run the rows belong to (<c>specsynth usage</c> groups by it); <c>null</c> starts a new run.</summary>
    public string? RunId { get; init; }

    /// <summary>The project folder the rows belong to; <c>null</c> for none.</summary>
    public string? Project { get; init; }

    /// <summary>Hears a failed write (once per sink; a write never fails the call).</summary>
    public Action<string>? OnWarning { get; init; }

    internal void Validate()
    {
        RetryOptions.Check(!string.IsNullOrWhiteSpace(StateFolder), "the usage ledger needs a state folder");
        ArgumentException.ThrowIfNullOrWhiteSpace(Provider);
        ArgumentNullException.ThrowIfNull(Audit);
    }
}
