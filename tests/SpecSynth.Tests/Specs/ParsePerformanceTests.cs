using System.Diagnostics;
using System.Text;
using Markdig;
using SpecSynth.Specs;

namespace SpecSynth.Tests.Specs;

/// <summary>Timing tests run alone so that other tests do not share their CPU.</summary>
[CollectionDefinition(nameof(TimingSensitive), DisableParallelization = true)]
public sealed class TimingSensitive;

[Collection(nameof(TimingSensitive))]
public sealed class ParsePerformanceTests
{
    [Fact]
    public void A_100_KB_spec_parses_in_a_few_milliseconds()
    {
        var text = LargeSpec(100 * 1024);
        for (var warmUp = 0; warmUp < 10; warmUp++)
        {
            SpecParser.Parse(text); // JIT tiering, regex construction
            Markdown.Parse(text);
        }

        // CPU time, not wall time: other processes on a shared runner do not count. The collection runs
        // alone, so this process's CPU time is the parse (plus its GC).
        const int runs = 10;
        var parse = CpuTime(runs, () => Assert.True(SpecParser.Parse(text).Requirements.Count > 300)) / runs;
        var markdigAlone = CpuTime(runs, () => Markdown.Parse(text)) / runs;

        // A few ms on a quiet machine in Release. The absolute bound catches pathological slowness (regex
        // backtracking, quadratic scans); the relative one keeps the work beyond Markdig's own parse small.
        Assert.True(parse < TimeSpan.FromMilliseconds(150), $"a parse of {text.Length} chars took {parse.TotalMilliseconds} ms of CPU");
        Assert.True(
            parse < (markdigAlone * 5) + TimeSpan.FromMilliseconds(10),
            $"a parse took {parse.TotalMilliseconds} ms of CPU, Markdig alone {markdigAlone.TotalMilliseconds} ms");
    }

    private static TimeSpan CpuTime(int runs, Action action)
    {
        using var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        for (var run = 0; run < runs; run++)
        {
            action();
        }
        process.Refresh();
        return process.TotalProcessorTime - before;
    }

    private static string LargeSpec(int size)
    {
        var builder = new StringBuilder();
        for (var i = 0; builder.Length < size; i++)
        {
            builder.Append("## Requirement ").Append(i).Append("\n\n**User Story:** As a user, I want item ").Append(i).Append(", so that it is saved.\n\n")
                .Append("#### Acceptance Criteria\n\n")
                .Append("1. WHEN the user saves `src/app/item").Append(i).Append(".ts` THEN the system SHALL store it.\n")
                .Append("2. **FR-").Append(i).Append("**: System MUST log it, see [docs](docs/log.md) and README.md.\n\n")
                .Append("```bash\n# not a heading\nnpm test\n```\n\n| Field | Type |\n|---|---|\n| `id` | int |\n\n")
                .Append("Plain prose with several words, e.g. a version 3.11 and a URL https://example.com/x.md.\n\n");
        }
        return builder.ToString();
    }
}
