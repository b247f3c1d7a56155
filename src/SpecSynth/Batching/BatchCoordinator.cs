using System.Net;
using System.Security.Cryptography;
using System.Text;
using SpecSynth.Jobs;

namespace SpecSynth.Batching;

/// <summary>
/// Gathers the generate requests of a run's specs (each spec's first request, caught by <see cref="BatchingHandler"/>),
/// and once every spec has either sent one or needs none (a cached reply, an error before the call), submits them as one
/// batch per provider limit, polls with backoff, streams the results and answers each waiting request with its own result,
/// matched by <c>custom_id</c>. Every step is stored first (<see cref="BatchStore"/>), so a killed run resumes.
/// </summary>
internal sealed class BatchCoordinator
{
    /// <summary>How many times a failed poll, create or download is asked again before it counts.</summary>
    private const int Attempts = 6;

    private readonly BatchRun _run;
    private readonly EventSink _sink;
    private readonly CancellationToken _runToken;
    private readonly Lock _gate = new();
    private readonly List<Waiter> _waiters = [];
    private readonly List<string> _batchIds = [];
    private int _outstanding;

    public BatchCoordinator(BatchRun run, EventSink sink, int specs, CancellationToken runToken)
    {
        (_run, _sink, _runToken, _outstanding) = (run, sink, runToken, specs);
        if (specs == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(specs));
        }
        // The repair batch is a fresh one: nothing of it is resumed.
        Repairs = run.Repairs ? new BatchCoordinator(run with { Repairs = false, Resume = [], RetryFailed = false }, sink, specs, runToken) : null;
    }

    /// <summary>The coordinator of the run's repair batch (<c>--batch-repairs</c>), or <c>null</c>.</summary>
    public BatchCoordinator? Repairs { get; }

    /// <summary>specsynth's ids of the batches this run submitted or resumed.</summary>
    public IReadOnlyList<string> BatchIds
    {
        get
        {
            lock (_gate)
            {
                return [.. _batchIds, .. Repairs?.BatchIds ?? []];
            }
        }
    }

    /// <summary>A ticket for one spec (full path or name), with its repair ticket when repairs are batched.</summary>
    public BatchTicket Ticket(string spec) => new(this, spec) { Repair = Repairs?.Ticket(spec) };

    /// <summary>One spec needs no (more) waiting: when it is the last, the batch goes out.</summary>
    public void Arrived()
    {
        if (Interlocked.Decrement(ref _outstanding) == 0)
        {
            _ = Task.Run(ProcessAsync, CancellationToken.None);
        }
    }

    /// <summary>Records that the spec's files were written (<c>written</c>) or that its reply gave none (<c>failed</c>).</summary>
    public void Settle(BatchTicket ticket, string? failure)
    {
        if (ticket.BatchId is { } id && ticket.CustomId is { } customId)
        {
            _run.Store.SetState(id, customId, failure is null ? "written" : "failed", failure);
        }
        if (ticket.Repair is { Answered: true } repair)
        {
            ticket.Repair.Coordinator.Settle(repair, failure);
        }
    }

    /// <summary>Takes a caught request into the batch and answers it with its result once the batch ended.</summary>
    public async Task<HttpResponseMessage> ExchangeAsync(BatchTicket ticket, HttpRequestMessage request, HttpMessageInvoker http,
        CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "{}" : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var headers = request.Headers.Where(h => !h.Key.Equals("Accept", StringComparison.OrdinalIgnoreCase))
            .Select(h => new KeyValuePair<string, string[]>(h.Key, [.. h.Value])).ToList();
        var waiter = new Waiter(ticket, body, request.RequestUri!, headers, http);
        lock (_gate)
        {
            _waiters.Add(waiter);
        }
        Arrived();
        var (status, answer) = await waiter.Reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new HttpResponseMessage((HttpStatusCode)status)
        {
            Content = new StringContent(answer, Encoding.UTF8, "application/json"),
            RequestMessage = request,
        };
    }

    private async Task ProcessAsync()
    {
        List<Waiter> waiters;
        lock (_gate)
        {
            // In spec order, whatever order the specs arrived in: the same run makes the same batch.
            waiters = [.. _waiters.OrderBy(w => w.Ticket.Spec, StringComparer.Ordinal)];
        }
        if (waiters.Count == 0)
        {
            return;
        }
        var wire = BatchWire.For(waiters[0].Uri, waiters[0].Headers, waiters[0].Http);
        try
        {
            var running = new List<(string Id, string Remote, DateTimeOffset Created, List<Waiter> Waiters)>();
            var fresh = await AdoptAsync(wire, waiters, running).ConfigureAwait(false);
            var runId = "b" + _run.Time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss", System.Globalization.CultureInfo.InvariantCulture) + "-"
                + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
            var n = 0;
            foreach (var chunk in Chunks(wire, fresh))
            {
                n++;
                var chunkId = n == 1 ? runId : runId + "." + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (await SubmitAsync(wire, chunk, chunkId).ConfigureAwait(false) is { } submitted)
                {
                    running.Add(submitted);
                }
            }
            await PollAsync(wire, running).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_runToken.IsCancellationRequested)
        {
            foreach (var w in waiters)
            {
                w.Reply.TrySetCanceled(_runToken);
            }
        }
        catch (Exception ex)
        {
            foreach (var w in waiters)
            {
                w.Reply.TrySetResult((400, wire.ErrorBody("batch_failed", "the batch failed: " + Redaction.Redact(ex.Message))));
            }
        }
    }

    /// <summary>On resume: joins each spec to its stored batch (finding the provider's id of a submission whose answer was
    /// lost), answers a stored failure, and returns the specs to submit afresh.</summary>
    private async Task<List<Waiter>> AdoptAsync(BatchWire wire, List<Waiter> waiters,
        List<(string Id, string Remote, DateTimeOffset Created, List<Waiter> Waiters)> running)
    {
        var fresh = new List<Waiter>();
        var joined = new Dictionary<string, List<Waiter>>(StringComparer.Ordinal);
        foreach (var w in waiters)
        {
            var stored = _run.Resume.SelectMany(b => b.Specs.Select(s => (Batch: b, Spec: s))).FirstOrDefault(x => x.Spec.Spec == w.Ticket.Spec);
            if (stored.Spec is null)
            {
                fresh.Add(w);
                continue;
            }
            if (_run.RetryFailed && stored.Spec.State is "errored" or "expired" or "canceled" or "failed")
            {
                // Remembered so the new submission marks this request resubmitted.
                (w.Ticket.BatchId, w.Ticket.CustomId) = (stored.Batch.Id, stored.Spec.CustomId);
                fresh.Add(w);
                continue;
            }
            if (stored.Spec.State is "errored" or "expired" or "canceled" or "failed")
            {
                w.Reply.TrySetResult((400, wire.ErrorBody("batch_" + stored.Spec.State,
                    $"{stored.Spec.State} in batch {stored.Batch.Id}: {stored.Spec.Error ?? "no detail"} (resume with --retry-failed to resubmit it)")));
                continue;
            }
            if (stored.Spec.PromptHash != Hash(w.Body))
            {
                _sink.Warning($"{w.Ticket.Spec}: its prompt changed since batch {stored.Batch.Id} was submitted; using the batch's result for the prompt as submitted");
            }
            (w.Ticket.BatchId, w.Ticket.CustomId) = (stored.Batch.Id, stored.Spec.CustomId);
            (joined.TryGetValue(stored.Batch.Id, out var list) ? list : joined[stored.Batch.Id] = []).Add(w);
        }
        foreach (var (id, list) in joined)
        {
            var batch = _run.Resume.First(b => b.Id == id);
            var remote = batch.RemoteId ?? await RetryAsync(ct => wire.FindAsync(id, batch.CreatedAt, batch.Specs.Count, _run.Store.RemoteIds(), ct))
                .ConfigureAwait(false);
            lock (_gate)
            {
                _batchIds.Add(id);
            }
            if (remote is null)
            {
                // Never accepted: submit those specs again (a new batch and id).
                _run.Store.SetStatus(id, "abandoned");
                fresh.AddRange(list);
                continue;
            }
            if (batch.RemoteId is null)
            {
                _run.Store.Accept(id, remote);
            }
            running.Add((id, remote, batch.CreatedAt, list));
        }
        return fresh;
    }

    /// <summary>The fresh requests split at the provider's count and size limits.</summary>
    private static IEnumerable<List<Waiter>> Chunks(BatchWire wire, List<Waiter> fresh)
    {
        var chunk = new List<Waiter>();
        long bytes = 0;
        foreach (var w in fresh)
        {
            var size = wire.Size("s0000000000000000-0000000000000000", w.Body);
            if (chunk.Count > 0 && (chunk.Count >= wire.MaxRequests || bytes + size > wire.MaxBytes))
            {
                yield return chunk;
                (chunk, bytes) = ([], 0);
            }
            chunk.Add(w);
            bytes += size;
        }
        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    /// <summary>Stores the submission, sends it, stores the provider's id; a refused submission answers its requests with
    /// the provider's error.</summary>
    private async Task<(string Id, string Remote, DateTimeOffset Created, List<Waiter> Waiters)?> SubmitAsync(BatchWire wire, List<Waiter> chunk, string id)
    {
        var created = _run.Time.GetUtcNow();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var replaced = new List<(string BatchId, string CustomId)>();
        foreach (var w in chunk)
        {
            if (w.Ticket is { BatchId: { } oldId, CustomId: { } oldCustomId })
            {
                replaced.Add((oldId, oldCustomId));
            }
            var customId = "s" + Hash(w.Ticket.Spec)[..16] + "-" + Hash(w.Body)[..16];
            for (var n = 2; !used.Add(customId); n++)
            {
                customId = customId[..34] + "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            (w.Ticket.BatchId, w.Ticket.CustomId) = (id, customId);
        }
        _run.Store.Create(id, wire.Provider, wire.ApiRoot, created, _run.Project, _run.Flags,
            [.. chunk.Select(w => (w.Ticket.CustomId!, w.Ticket.Spec, Hash(w.Body)))]);
        // Only once the new submission is stored: the old requests (never accepted, or failed and retried) are done with,
        // so neither `batch resume` of their batch nor its default pick submits or writes them again.
        foreach (var (oldId, oldCustomId) in replaced)
        {
            _run.Store.SetState(oldId, oldCustomId, "resubmitted", "resubmitted in batch " + id);
        }
        lock (_gate)
        {
            _batchIds.Add(id);
        }
        string remote;
        try
        {
            remote = await RetryAsync(ct => wire.SubmitAsync(id, [.. chunk.Select(w => (w.Ticket.CustomId!, w.Body))], ct)).ConfigureAwait(false);
        }
        catch (BatchHttpException ex)
        {
            _run.Store.SetStatus(id, "failed");
            foreach (var w in chunk)
            {
                _run.Store.SetState(id, w.Ticket.CustomId!, "errored", Redaction.Redact(ex.Message));
                w.Reply.TrySetResult(ex.Status is >= 400 and < 500 && ex.Status != 429
                    ? (ex.Status, ex.Body)
                    : (400, wire.ErrorBody("batch_submission_failed", Redaction.Redact(ex.Message))));
            }
            return null;
        }
        _run.Store.Accept(id, remote);
        _sink.Report(new BatchEvent(id, wire.Provider, remote, "submitted", chunk.Count, 0, 0, TimeSpan.Zero));
        return (id, remote, created, chunk);
    }

    /// <summary>Polls every running batch with backoff until each has ended, then hands out its results.</summary>
    private async Task PollAsync(BatchWire wire, List<(string Id, string Remote, DateTimeOffset Created, List<Waiter> Waiters)> running)
    {
        var delay = _run.PollInterval;
        var longest = _run.PollInterval > TimeSpan.FromSeconds(60) ? _run.PollInterval : TimeSpan.FromSeconds(60);
        var pending = running.ToList();
        while (pending.Count > 0)
        {
            foreach (var batch in pending.ToList())
            {
                var poll = await RetryAsync(ct => wire.PollAsync(batch.Remote, ct)).ConfigureAwait(false);
                _run.Store.SetStatus(batch.Id, poll.Status);
                _sink.Report(new BatchEvent(batch.Id, wire.Provider, batch.Remote, poll.Status, poll.Total, poll.Succeeded, poll.Failed,
                    _run.Time.GetUtcNow() - batch.Created));
                if (poll.Ended)
                {
                    await CollectAsync(wire, batch.Id, poll, batch.Waiters).ConfigureAwait(false);
                    pending.Remove(batch);
                }
            }
            if (pending.Count > 0)
            {
                await Task.Delay(delay, _run.Time, _runToken).ConfigureAwait(false);
                delay = delay * 2 > longest ? longest : delay * 2;
            }
        }
    }

    /// <summary>Streams an ended batch's results and answers each request by its <c>custom_id</c>.</summary>
    private async Task CollectAsync(BatchWire wire, string id, BatchPoll poll, List<Waiter> waiters)
    {
        var byId = waiters.ToDictionary(w => w.Ticket.CustomId!, StringComparer.Ordinal);
        if (poll.Failure is { } failure)
        {
            foreach (var w in waiters)
            {
                _run.Store.SetState(id, w.Ticket.CustomId!, "errored", failure);
                w.Reply.TrySetResult((400, wire.ErrorBody("batch_failed", $"the batch {poll.RemoteId} failed: {failure}")));
            }
            return;
        }
        // A download cut midway starts again; requests answered before the cut keep their answer.
        await RetryAsync(async ct =>
        {
            await foreach (var line in wire.ResultsAsync(poll, ct).ConfigureAwait(false))
            {
                if (!byId.TryGetValue(line.CustomId, out var w) || w.Reply.Task.IsCompleted)
                {
                    continue;
                }
                _run.Store.SetState(id, line.CustomId, line.Outcome, line.Outcome == "succeeded" ? null : Shorten(line.Body));
                if (line.Outcome == "succeeded")
                {
                    w.Ticket.MarkAnswered();
                }
                w.Reply.TrySetResult((line.Status, line.Body));
            }
            return 0;
        }).ConfigureAwait(false);
        foreach (var w in waiters.Where(w => !w.Reply.Task.IsCompleted))
        {
            _run.Store.SetState(id, w.Ticket.CustomId!, "errored", "no result in the batch");
            w.Reply.TrySetResult((400, wire.ErrorBody("batch_missing_result", $"the batch {poll.RemoteId} ended without a result for this request")));
        }
    }

    /// <summary>Runs a call to the batch endpoints, asking again after a 429, a 5xx or a transport failure.</summary>
    private async Task<T> RetryAsync<T>(Func<CancellationToken, Task<T>> call)
    {
        var wait = _run.PollInterval;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(_runToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < Attempts && !_runToken.IsCancellationRequested
                && (ex is BatchHttpException { Retryable: true } or HttpRequestException or IOException or TaskCanceledException))
            {
                _sink.Warning($"batch call failed ({Redaction.Redact(ex.Message)}); asking again in {wait.TotalSeconds:0.##} s");
                await Task.Delay(wait, _run.Time, _runToken).ConfigureAwait(false);
                wait = wait * 2 > TimeSpan.FromSeconds(60) ? TimeSpan.FromSeconds(60) : wait * 2;
            }
        }
    }

    /// <summary>The SHA-256 of <paramref name="text"/> (lower-case hex).</summary>
    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Shorten(string text) => Redaction.Redact(text.Length <= 2000 ? text : text[..2000] + "…");

    /// <summary>One request waiting for its result.</summary>
    private sealed class Waiter(BatchTicket ticket, string body, Uri uri, IReadOnlyList<KeyValuePair<string, string[]>> headers, HttpMessageInvoker http)
    {
        public BatchTicket Ticket { get; } = ticket;

        public string Body { get; } = body;

        public Uri Uri { get; } = uri;

        public IReadOnlyList<KeyValuePair<string, string[]>> Headers { get; } = headers;

        public HttpMessageInvoker Http { get; } = http;

        public TaskCompletionSource<(int Status, string Body)> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
