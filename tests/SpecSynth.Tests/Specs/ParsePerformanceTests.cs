using System.Diagnostics;
using System.Text;
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
        }

        // CPU time, not wall time: other processes on a shared runner do not count. The collection runs
        // alone, so this process's CPU time is the parse (plus its GC).
        const int runs = 10;
        var parse = CpuTime(runs, () => Assert.True(SpecParser.Parse(text).Requirements.Count > 300)) / runs;

        // About 5 ms in a Release build (Markdig itself takes about 2 ms). Tests run the Debug build, where
        // the JIT does not optimise this assembly, so the bound is loose: it catches pathological slowness
        // such as regex backtracking or a quadratic scan, which would take hundreds of milliseconds.
        Assert.True(parse < TimeSpan.FromMilliseconds(150), $"a parse of {text.Length} chars took {parse.TotalMilliseconds} ms of CPU");
    }

    [Theory]
    [InlineData("WHEN ", "a.b when if the ")]
    [InlineData("The ", "x ")]
    [InlineData("`", "src/")]
    [InlineData("- **FR-1**: ", "FR-2 a: ")]
    [InlineData("Language: ", "c c# .net react ")]
    public void Long_repetitive_lines_do_not_trigger_backtracking(string prefix, string unit)
    {
        var text = "# T\n\n## Requirements\n\n" + prefix + string.Concat(Enumerable.Repeat(unit, 200_000 / unit.Length)) + "\n";
        SpecParser.Parse("# warm up\n");

        var parse = CpuTime(1, () => SpecParser.Parse(text));

        Assert.True(parse < TimeSpan.FromMilliseconds(500), $"a {text.Length}-char line took {parse.TotalMilliseconds} ms of CPU");
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
