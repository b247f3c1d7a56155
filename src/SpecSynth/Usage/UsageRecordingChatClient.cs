using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text;
using Microsoft.Extensions.AI;
using SpecSynth.Caching;
using SpecSynth.Middleware;
using SpecSynth.Providers;

namespace SpecSynth.Usage;

/// <summary>
/// The outermost middleware: records every logical call (streamed or not; answered, cache hit, failed, cancelled or
/// abandoned) as one row of the <see cref="UsageLedger"/> and one line of the <see cref="AuditLog"/>. It reads and
/// removes the caller's <see cref="UsageOperations"/> tags, counts the call's retries through <see cref="CallStats"/>,
/// and prices the answer with the catalog's prices (cache writes and reads at their own prices; a cache hit costs 0).
/// A failed write gives one warning per sink and never fails the call. Disposing it disposes the pipeline and the ledger.
/// </summary>
internal sealed class UsageRecordingChatClient : DelegatingChatClient
{
    private readonly UsageLedger? _ledger;
    private readonly AuditLog? _audit;
    private readonly UsageContext _context;
    private readonly IReadOnlyList<UsageChainEntry> _chain;
    private readonly TimeProvider _time;
    private readonly Action<string>? _onWarning;
    private readonly bool _keepReply;
    private readonly Action<Exception> _auditFailed;
    private int _ledgerWarned;
    private int _auditWarned;

    /// <summary>Creates the middleware.</summary>
    /// <param name="inner">The pipeline (response cache, fallback chain, ...).</param>
    /// <param name="ledger">Where rows go; <c>null</c> for none.</param>
    /// <param name="audit">Where audit lines go; <c>null</c> for none.</param>
    /// <param name="includePrompts">Whether the audit log keeps the replies (so streamed text is gathered).</param>
    /// <param name="context">The run.</param>
    /// <param name="chain">Each provider of the chain in order, with its model and prices (<c>null</c>: free).</param>
    /// <param name="time">The clock of timestamps and latencies.</param>
    /// <param name="onWarning">Hears a failed write (once per sink).</param>
    public UsageRecordingChatClient(IChatClient inner, UsageLedger? ledger, AuditLog? audit, bool includePrompts, UsageContext context,
        IReadOnlyList<UsageChainEntry> chain, TimeProvider time, Action<string>? onWarning)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfZero(chain.Count);
        (_ledger, _audit, _keepReply, _context, _chain, _time, _onWarning) = (ledger, audit, includePrompts && audit is not null, context, chain, time, onWarning);
        _auditFailed = ex => Warn(ex, ledger: false);
    }

    /// <summary>Logs each request under <c>SpecSynth.Pipeline</c>; <c>null</c> for none.</summary>
    public Microsoft.Extensions.Logging.ILogger? Logger { get; init; }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var call = Start(options, streamed: false, out var sent);
        CallStats.Current = call;
        try
        {
            var response = await base.GetResponseAsync(list, sent, cancellationToken).ConfigureAwait(false);
            call.See(response.AdditionalProperties, response.ModelId);
            if (response.Usage is { } usage)
            {
                call.Usage.Add(usage);
            }
            var written = Finish(call, list, "ok", _keepReply ? response.Text : null);
            await ObserveAsync(written).ConfigureAwait(false);
            return response;
        }
        catch (Exception ex)
        {
            await ObserveAsync(Finish(call, list, Outcome(ex, call), null)).ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var call = Start(options, streamed: true, out var sent);
        var reply = _keepReply ? new StringBuilder() : null;
        var completed = false;
        Exception? failure = null;
        // The stats travel with each step of the stream, so the pipeline's observer calls find them. An async iterator
        // runs each step on its caller's flow, without what an earlier step set: the first step sets them and keeps its
        // flow, later steps ask the pipeline for the next update on that flow (StepFlow), without a new ExecutionContext
        // per update.
        CallStats.Current = call;
        var updates = base.GetStreamingResponseAsync(list, sent, cancellationToken).GetAsyncEnumerator(cancellationToken);
        call.Follow(updates);
        try
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await call.MoveNextAsync().ConfigureAwait(false))
                    {
                        completed = true;
                        break;
                    }
                    update = updates.Current;
                }
                catch (Exception ex)
                {
                    failure = ex;
                    break;
                }
                if (ResiliencePipeline.IsRestart(update))
                {
                    call.Usage.Clear();
                    reply?.Clear();
                }
                call.See(update.AdditionalProperties, update.ModelId);
                for (var i = 0; i < update.Contents.Count; i++)
                {
                    if (update.Contents[i] is UsageContent content)
                    {
                        call.Usage.Add(content.Details);
                    }
                }
                if (update.Text is { Length: > 0 } text)
                {
                    call.FirstToken ??= _time.GetElapsedTime(call.Started);
                    reply?.Append(text);
                }
                yield return update;
            }
        }
        finally
        {
            await call.DisposeAsync().ConfigureAwait(false);
            // Not completed and no failure: the caller stopped reading (abandoned), recorded as cancelled. The writes are
            // awaited here, as ObserveAsync does, without a state machine of their own per stream.
            var (row, line) = Finish(call, list, completed ? "ok" : failure is null ? "cancelled" : Outcome(failure, call), reply?.ToString());
            if (row is not null)
            {
                try
                {
                    await row.ConfigureAwait(false);
                }
                catch (Exception ex) when (IsWriteFailure(ex))
                {
                    Warn(ex, ledger: true);
                }
            }
            if (line is not null)
            {
                try
                {
                    await line.ConfigureAwait(false);
                }
                catch (Exception ex) when (IsWriteFailure(ex))
                {
                    Warn(ex, ledger: false);
                }
            }
        }
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _ledger?.Dispose();
            // Writes the lines it staged: every call made through this client has its line in the file now.
            _audit?.Dispose();
        }
    }

    /// <summary>The outcome of a failed call: <c>cancelled</c>, the error kind in snake case, or <c>error</c>; notes on
    /// <paramref name="call"/> the provider that failed when the error names it.</summary>
    private static string Outcome(Exception ex, Call call)
    {
        ArgumentNullException.ThrowIfNull(ex);
        ArgumentNullException.ThrowIfNull(call);
        if (ex is OperationCanceledException)
        {
            return "cancelled";
        }
        var provider = ex as ProviderException ?? ex.InnerException as ProviderException;
        call.Provider ??= provider?.Provider ?? (ex as ContextTooLongException)?.Provider;
        return ex switch
        {
            ContextTooLongException => "context_too_long",
            SpecSynthException s => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(s.Kind.ToString()),
            _ => "error",
        };
    }

    private Call Start(ChatOptions? options, bool streamed, out ChatOptions? sent)
    {
        string? operation = null;
        string? spec = null;
        sent = options;
        if (options?.AdditionalProperties is { } properties
            && (properties.ContainsKey(UsageOperations.OperationProperty) || properties.ContainsKey(UsageOperations.SpecProperty)))
        {
            operation = properties.TryGetValue(UsageOperations.OperationProperty, out var o) ? o as string : null;
            spec = properties.TryGetValue(UsageOperations.SpecProperty, out var s) ? s as string : null;
            // The clone has its own copy of the properties (ChatOptions.Clone copies the dictionary): the tags are removed
            // from it, the caller's options are left as they were.
            sent = options.Clone();
            sent.AdditionalProperties!.Remove(UsageOperations.OperationProperty);
            sent.AdditionalProperties.Remove(UsageOperations.SpecProperty);
            if (sent.AdditionalProperties.Count == 0)
            {
                sent.AdditionalProperties = null;
            }
        }
        return new Call(operation ?? UsageOperations.Unknown, spec, streamed, _time.GetUtcNow(), _time.GetTimestamp());
    }

    /// <summary>Records the call: its row is handed over and its audit line staged (the returned writes); the call goes on once
    /// the row is written, and the line too when it could not be staged (<see cref="ObserveAsync"/>: a failed write is a
    /// warning; a staged line's failure is warned about by the writer).</summary>
    private (Task? Row, Task? Line) Finish(Call call, IReadOnlyList<ChatMessage> messages, string outcome, string? reply)
    {
        var provider = _chain[0];
        if (call.Provider is { } p)
        {
            // The chain entry of the provider that answered (a loop: no closure and enumerator per call).
            for (var i = 0; i < _chain.Count; i++)
            {
                if (_chain[i].Provider == p)
                {
                    provider = _chain[i];
                    break;
                }
            }
        }
        var tokens = call.CacheHit ? TokenUsage.Zero : call.Usage.ToTokenUsage();
        // A reply from a provider's batch: its own operation (usage --by operation) at the batch price, half the normal one.
        var batched = outcome == "ok" && !call.CacheHit && Batching.BatchScope.Current?.TakeBatchPrice() == true;
        var record = new UsageRecord
        {
            Time = call.StartedAt,
            RunId = _context.RunId,
            Operation = batched ? call.Operation + "-batch" : call.Operation,
            Spec = call.Spec,
            Project = _context.Project,
            Provider = call.Provider ?? provider.Provider,
            Model = call.Model ?? provider.Model ?? "",
            KeyAlias = call.KeyAlias,
            Tokens = tokens,
            CostUsd = (provider.Pricing?.Cost(tokens) ?? 0m) * (batched ? 0.5m : 1m),
            Latency = _time.GetElapsedTime(call.Started),
            TimeToFirstToken = call.FirstToken,
            Retries = call.Retries,
            Outcome = outcome,
            CacheHit = call.CacheHit,
            Streamed = call.Streamed,
        };
        Telemetry.RequestTelemetry.Record(record, Logger);
        // The row is awaited: the ledger's group writer completes the waits of a group one after another on its thread, which
        // measured cheaper at c=16 than each request going on by itself (docs/benchmarks.md, session 14, ovhwb). The line is
        // staged (written with the others of the next few ms: the audit file opened once per batch); null when staged.
        return (_ledger?.AppendAsync(record), _audit?.Stage(record, messages, reply, _auditFailed));
    }

    /// <summary>Sums the usage reports the way <c>ToChatResponse</c> does, so the row matches the caller's own usage (a new
    /// <see cref="UsageDetails"/> that each report is added to, in order), without building a response per request.</summary>
    internal static UsageDetails? Sum(List<UsageContent> usage)
    {
        UsageDetails? total = null;
        foreach (var report in usage)
        {
            (total ??= new()).Add(report.Details);
        }
        return total;
    }

    /// <summary>Waits for the row's write, then the audit line's; a failure is warned about once per sink.</summary>
    private async Task ObserveAsync((Task? Row, Task? Line) written)
    {
        if (written.Row is { } row)
        {
            try
            {
                await row.ConfigureAwait(false);
            }
            catch (Exception ex) when (IsWriteFailure(ex))
            {
                Warn(ex, ledger: true);
            }
        }
        if (written.Line is { } line)
        {
            try
            {
                await line.ConfigureAwait(false);
            }
            catch (Exception ex) when (IsWriteFailure(ex))
            {
                Warn(ex, ledger: false);
            }
        }
    }

    /// <summary>Whether <paramref name="ex"/> is a failed write of the ledger or the audit log (a warning, never the call's
    /// failure).</summary>
    private static bool IsWriteFailure(Exception ex) =>
        ex is SpecSynthException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException or ObjectDisposedException;

    /// <summary>Warns, the first time only, that the <paramref name="ledger"/> (else the audit log) failed a write.</summary>
    private void Warn(Exception ex, bool ledger)
    {
        if (Interlocked.Exchange(ref ledger ? ref _ledgerWarned : ref _auditWarned, 1) == 0)
        {
            _onWarning?.Invoke($"the {(ledger ? "usage ledger" : "audit log")} could not record a request ({ex.GetType().Name}: {ex.Message}); " +
                "the run goes on, further failures of it are not reported");
        }
    }

    /// <summary>What is learnt about one call while it runs; also its stats (<see cref="CallStats.Current"/> while it runs)
    /// and, streamed, what moves its stream on its flow (<see cref="StepFlow"/>): one object per call.</summary>
    private sealed class Call(string operation, string? spec, bool streamed, DateTimeOffset startedAt, long started) : StepFlow
    {
        public string Operation { get; } = operation;

        public string? Spec { get; } = spec;

        public bool Streamed { get; } = streamed;

        public DateTimeOffset StartedAt { get; } = startedAt;

        public long Started { get; } = started;

        /// <summary>The usage reports so far, added up (a field: the struct is changed in place).</summary>
        public UsageSum Usage;

        public string? Provider { get; set; }

        public string? Model { get; set; }

        public string? KeyAlias { get; set; }

        public bool CacheHit { get; set; }

        public TimeSpan? FirstToken { get; set; }

        /// <summary>Reads what the pipeline says on a response or update: who answered, with which key, from the cache.</summary>
        public void See(AdditionalPropertiesDictionary? properties, string? modelId)
        {
            Model ??= modelId;
            if (properties is null)
            {
                return;
            }
            if (properties.TryGetValue(ResiliencePipeline.ProviderProperty, out var p) && p is string provider)
            {
                Provider = provider;
            }
            if (properties.TryGetValue(ResiliencePipeline.KeyAliasProperty, out var k) && k is string alias)
            {
                KeyAlias = alias;
            }
            CacheHit |= properties.TryGetValue(ResponseCache.HitProperty, out var h) && h is true;
        }
    }
}
