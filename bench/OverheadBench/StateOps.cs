using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using SpecSynth;
using SpecSynth.Budget;
using SpecSynth.Caching;
using SpecSynth.Usage;

namespace OverheadBench;

/// <summary>
/// <c>--state-ops</c>: the request path's durable reads and writes alone (issue 19), each through the class the pipeline
/// uses on a fresh state folder: the response cache's miss (<see cref="SqliteDistributedCache.Get"/> of a new key), its
/// entry (<see cref="SqliteDistributedCache.SetAsync"/>, 2 KB; and staged, <see cref="SqliteDistributedCache.Stage"/>, as a
/// miss of the caching middleware stores it), the usage ledger's row and the audit line, and all four in
/// a request's order (also with the entry staged); and the daily budget's reservation and settlement (<see cref="BudgetLedger"/> on <c>budget.db</c>,
/// with its process-local lease), the reservation held across a yield as across a provider call. Prints JSON: process CPU (user and system) and allocation per operation at each concurrency.
/// </summary>
internal static class StateOps
{
    private static readonly List<ChatMessage> Messages =
    [
        new(ChatRole.System, "You are a careful engineer."),
        new(ChatRole.User, string.Concat(Enumerable.Repeat("The function takes a list of orders and returns the total per customer. ", 25))),
    ];

    public static async Task RunAsync(int count, IReadOnlyList<int> levels, int warmup)
    {
        var root = Path.Combine(Path.GetTempPath(), "specsynth-stateops-" + Guid.NewGuid().ToString("N"));
        try
        {
            var cachePath = Path.Combine(root, "cache", "responses.db");
            using var cache = new SqliteDistributedCache(cachePath, TimeProvider.System);
            using var ledger = new UsageLedger(Path.Combine(root, "usage.db"));
            var audit = new AuditLog(Path.Combine(root, "audit.jsonl"), "bench@machine", includePrompts: false);
            using var budget = BudgetLedger.Open(new BudgetOptions { DailyUsd = 1_000_000m }, null, root, TimeProvider.System, null)!;
            // A worst case of $0.30 (a long output cap) reserved, $0.0003 spent: the instant server's requests.
            const long Wanted = BudgetMoney.NanosPerUsd * 3 / 10;
            const long Spent = BudgetMoney.NanosPerUsd * 3 / 10_000;
            var value = new byte[640]; // a streamed reply of the instant server, encoded, is ~650 bytes
            Random.Shared.NextBytes(value);
            var entry = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromDays(7) };
            var next = 0;
            string Key() => "k" + Interlocked.Increment(ref next).ToString("x8", System.Globalization.CultureInfo.InvariantCulture) + new string('0', 56);
            var ops = new (string Name, Func<Task> Op)[]
            {
                ("cache_miss", () => cache.Get(Key()) is null ? Task.CompletedTask : throw new InvalidOperationException("hit")),
                ("cache_set", () => cache.SetAsync(Key(), value, entry)),
                ("cache_stage", () =>
                {
                    var key = Key();
                    return cache.Stage(key, value, entry) ? Task.CompletedTask : cache.SetAsync(key, value, entry);
                }),
                ("ledger_row", () => ledger.AppendAsync(Record())),
                ("audit_line", () => audit.AppendAsync(Record(), Messages, "reply")),
                ("budget", async () =>
                {
                    var (reservation, _) = await budget.ReserveAsync(Wanted, Wanted / 10, CancellationToken.None).ConfigureAwait(false);
                    await Task.Yield();
                    await budget.SettleAsync(reservation!, Spent).ConfigureAwait(false);
                }),
                ("request", async () =>
                {
                    var key = Key();
                    _ = cache.Get(key);
                    var record = Record();
                    await ledger.AppendAsync(record).ConfigureAwait(false);
                    await audit.AppendAsync(record, Messages, "reply").ConfigureAwait(false);
                    await cache.SetAsync(key, value, entry).ConfigureAwait(false);
                }),
                ("request_staged", async () =>
                {
                    var key = Key();
                    _ = cache.Get(key);
                    var record = Record();
                    await ledger.AppendAsync(record).ConfigureAwait(false);
                    await audit.AppendAsync(record, Messages, "reply").ConfigureAwait(false);
                    if (!cache.Stage(key, value, entry))
                    {
                        await cache.SetAsync(key, value, entry).ConfigureAwait(false);
                    }
                }),
            };
            var results = new List<object>();
            foreach (var concurrency in levels)
            {
                foreach (var (name, op) in ops)
                {
                    await Measure(op, warmup, concurrency).ConfigureAwait(false);
                    var (cpu, sys, alloc) = await Measure(op, count, concurrency).ConfigureAwait(false);
                    results.Add(new
                    {
                        op = name,
                        concurrency,
                        ops = count,
                        cpu_us = Math.Round(cpu * 1000 / count, 1),
                        sys_us = Math.Round(sys * 1000 / count, 1),
                        alloc_bytes = alloc / count
                    });
                }
            }
            Console.WriteLine(JsonSerializer.Serialize(new { state_ops = results }, new JsonSerializerOptions { WriteIndented = true }));
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static UsageRecord Record() => new()
    {
        Time = DateTimeOffset.UtcNow,
        RunId = "run-bench",
        Operation = "generate",
        Spec = "spec.md",
        Project = "/tmp/project",
        Provider = "openai",
        Model = "gpt-4.1",
        KeyAlias = "OPENAI_API_KEY",
        Tokens = new TokenUsage(1200, 300),
        CostUsd = 0.0042m,
        Latency = TimeSpan.FromMilliseconds(12.5),
        Outcome = "ok",
    };

    private static async Task<(double CpuMs, double SysMs, long Allocated)> Measure(Func<Task> op, int count, int concurrency)
    {
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var (cpu, sys) = (process.TotalProcessorTime, process.PrivilegedProcessorTime);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var issued = -1;
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref issued) < count)
            {
                await op().ConfigureAwait(false);
                await Task.Yield();
            }
        })).ToList();
        await Task.WhenAll(workers).ConfigureAwait(false);
        process.Refresh();
        return ((process.TotalProcessorTime - cpu).TotalMilliseconds, (process.PrivilegedProcessorTime - sys).TotalMilliseconds,
            GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }
}
