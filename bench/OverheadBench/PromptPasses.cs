using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using SpecSynth.Budget;
using SpecSynth.Caching;
using SpecSynth.Context.Tokens;
using SpecSynth.Middleware;
using SpecSynth.Providers;
using SpecSynth.Usage;

namespace OverheadBench;

/// <summary>
/// <c>--prompt-passes</c>: the passes the pipeline makes over each new prompt's text (issue 19), each alone on one thread,
/// for a ~1.9 KB prompt and for <c>--prompt-kb</c>-sized ones: the redaction (<see cref="RedactingChatClient"/>), the
/// response cache key, the budget check of one request (reserve, answer, settle through <see cref="BudgetChatClient"/> over a
/// client that answers at once, against a run budget: OpenAI's exact o200k counter and Claude's estimator) and the audit
/// line's prompt hash. Every request has a text of its own (a count remembered for a string instance never serves another
/// request). Prints JSON: microseconds of this thread's CPU time (Linux) and allocated bytes per request, the minimum over rounds
/// and the median.
/// </summary>
internal static class PromptPasses
{
    private const string Sentence = "The function takes a list of orders and returns the total per customer. ";

    public static void Run(IReadOnlyList<int> sizesKb, int rounds)
    {
        var results = new List<object>();
        foreach (var kb in sizesKb)
        {
            // About 4 MB of prompt per round, at least 20 requests.
            var perRound = Math.Max(20, 4096 / Math.Max(2, kb));
            var filler = kb <= 0 ? string.Concat(Enumerable.Repeat(Sentence, 25)) : string.Concat(Enumerable.Repeat(Sentence, (kb * 1024 / Sentence.Length) + 1));
            var passes = new Dictionary<string, object>();
            using var openai = Budget("openai", "gpt-4.1");
            using var claude = Budget("claude", "claude-sonnet-4-5");
            var ops = new (string Name, Func<List<ChatMessage>, ValueTask> Op)[]
            {
                ("redaction", m => { RedactingChatClient.Redact(m); return ValueTask.CompletedTask; }),
                ("cache_key", m => { ResponseCacheCodec.Key(m, Options, ["specsynth-cache-3", "openai|gpt-4.1|1024||"], ["template:t1"]); return ValueTask.CompletedTask; }),
                ("budget_openai", m => Drain(openai.Client, m)),
                ("budget_claude", m => Drain(claude.Client, m)),
                ("audit_prompt_hash", m => { AuditLog.PromptHash(m); return ValueTask.CompletedTask; }),
            };
            foreach (var (name, op) in ops)
            {
                var micros = new List<double>();
                var bytes = new List<double>();
                for (var round = -1; round < rounds; round++) // round -1 warms up (JIT, tiering)
                {
                    var prompts = Enumerable.Range(0, perRound).Select(i => Messages($"Request {round}-{i}: write the function described below.\n" + filler)).ToList();
                    var allocated = GC.GetAllocatedBytesForCurrentThread();
                    var start = ThreadCpuMicros();
                    foreach (var messages in prompts)
                    {
                        // Every pass completes synchronously (the run budget is in memory, the client answers at once): one
                        // thread does all of it, so its CPU time is the pass's.
                        var pending = op(messages);
                        if (!pending.IsCompletedSuccessfully)
                        {
                            throw new InvalidOperationException(name + " did not complete synchronously");
                        }
                        pending.GetAwaiter().GetResult();
                    }
                    var elapsed = ThreadCpuMicros() - start;
                    var used = GC.GetAllocatedBytesForCurrentThread() - allocated;
                    if (round >= 0)
                    {
                        micros.Add(elapsed / perRound);
                        bytes.Add((double)used / perRound);
                    }
                }
                passes[name] = new { us_min = R(micros.Min()), us_median = R(Median(micros)), bytes_median = R(Median(bytes)) };
            }
            results.Add(new { prompt_kb = kb <= 0 ? 1.9 : kb, requests_per_round = perRound, rounds, passes });
        }
        Console.WriteLine(JsonSerializer.Serialize(new { prompt_passes = results }, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static readonly ChatOptions Options = new() { MaxOutputTokens = 1024 };

    private static List<ChatMessage> Messages(string user) => [new(ChatRole.System, "You are a careful engineer."), new(ChatRole.User, user)];

    private static async ValueTask Drain(IChatClient client, List<ChatMessage> messages)
    {
        await foreach (var _ in client.GetStreamingResponseAsync(messages, Options).ConfigureAwait(false))
        {
        }
    }

    private static BudgetPass Budget(string provider, string model)
    {
        var ledger = BudgetLedger.Open(new BudgetOptions { RunUsd = 1_000_000m }, null, Path.GetTempPath(), TimeProvider.System, null)!;
        var pricing = ModelCatalog.BuiltIn.Lookup(provider, model);
        var link = new LinkBudget(ledger, model, pricing, TokenCounters.For(provider, model, null), 1024);
        return new BudgetPass(ledger, new BudgetChatClient(new Instant(), provider, link));
    }

    /// <summary>This thread's CPU time (<c>CLOCK_THREAD_CPUTIME_ID</c>): time the thread was preempted for is not counted.</summary>
    private static double ThreadCpuMicros()
    {
        if (ClockGetTime(3, out var time) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        }
        return (time.Seconds * 1e6) + (time.Nanoseconds / 1e3);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static double R(double value) => Math.Round(value, 3);

    private sealed record BudgetPass(BudgetLedger Ledger, IChatClient Client) : IDisposable
    {
        public void Dispose()
        {
            Client.Dispose();
            Ledger.Dispose();
        }
    }

    /// <summary>Answers at once: one text update and the usage.</summary>
    private sealed class Instant : IChatClient
    {
        private static readonly UsageDetails Usage = new() { InputTokenCount = 100, OutputTokenCount = 1 };

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
            ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.CompletedTask.ConfigureAwait(false);
            yield return new ChatResponseUpdate(ChatRole.Assistant, "ok");
            yield return new ChatResponseUpdate { Contents = [new UsageContent(Usage)] };
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
            // Nothing to release.
        }
    }
}
