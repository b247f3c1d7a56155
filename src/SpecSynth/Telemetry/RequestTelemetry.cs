using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SpecSynth.Usage;

namespace SpecSynth.Telemetry;

/// <summary>What the usage ledger learns about each logical request, as metrics (<c>specsynth.requests</c>,
/// <c>specsynth.cost</c>, <c>specsynth.cache.hits</c>) and a log line.</summary>
internal static class RequestTelemetry
{
    public static void Record(UsageRecord record, ILogger? logger)
    {
        var tags = new TagList
        {
            { "gen_ai.provider.name", record.Provider },
            { "gen_ai.request.model", record.Model },
            { "specsynth.operation", record.Operation },
            { "specsynth.outcome", record.Outcome },
        };
        Counters.Requests.Add(1, tags);
        if (record.CostUsd > 0)
        {
            Counters.Cost.Add((double)record.CostUsd, tags);
        }
        if (record.CacheHit)
        {
            Counters.CacheHits.Add(1, tags);
        }
        if (logger is null)
        {
            return;
        }
        if (record.CacheHit)
        {
            Log.CacheHit(logger, record.Operation, record.Provider, record.Model);
        }
        else
        {
            var t = record.Tokens;
            Log.Request(logger, record.Operation, record.Provider, record.Model, record.Outcome, record.Latency.TotalMilliseconds,
                t.InputTokens, t.OutputTokens, t.CacheReadTokens, t.CacheWriteTokens, record.CostUsd);
        }
    }
}
