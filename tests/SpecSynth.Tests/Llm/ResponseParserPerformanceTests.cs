using System.Diagnostics;
using System.Text;
using SpecSynth.Llm;
using SpecSynth.Llm.Parsing;
using Xunit.Abstractions;

namespace SpecSynth.Tests.Llm;

public sealed class ResponseParserPerformanceTests(ITestOutputHelper output)
{
    private const int OneMegabyte = 1 << 20;

    // Generous for a shared, loaded 2-core machine running Debug builds: a realistic 1 MB reply takes about 10 ms
    // (Release, idle) and the pathological shapes tens of milliseconds, while a quadratic pass would take minutes.
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PathologicalLimit = TimeSpan.FromSeconds(5);

    [Fact]
    public void One_megabyte_reply_with_thousands_of_files_parses_quickly()
    {
        var reply = new StringBuilder();
        var count = 0;
        while (reply.Length < OneMegabyte)
        {
            reply.Append("Next, the handler for item ").Append(count).Append(".\n\n")
                .Append("**src/Handlers/Handler").Append(count).Append(".cs**\n```csharp\n");
            for (var line = 0; line < 10; line++)
            {
                reply.Append("    public int Method").Append(line).Append("() => ").Append(line).Append(";\n");
            }
            reply.Append("```\n\n");
            count++;
        }
        ResponseParser.Parse("warm-up\n```cs path=a.cs\nx\n```\n");

        var (parsed, elapsed) = Timed(reply.ToString());

        Assert.Equal(count, parsed.Files.Count);
        Assert.Empty(parsed.Warnings);
        Assert.Equal($"src/Handlers/Handler{count - 1}.cs", parsed.Files[^1].Path);
        Assert.True(elapsed < Limit, $"{elapsed.TotalMilliseconds} ms");
    }

    public static TheoryData<string> Pathological => new()
    {
        "backtick-line", "fence-lines", "nested-markdown", "nesting-fallbacks", "long-info", "long-label", "file-tags",
        "quotes-and-colons",
    };

    [Theory]
    [MemberData(nameof(Pathological))]
    public void Pathological_one_megabyte_reply_parses_in_linear_time(string shape)
    {
        var reply = Build(shape);
        ResponseParser.Parse("warm-up\n```cs path=a.cs\nx\n```\n");

        var (parsed, elapsed) = Timed(reply);

        Assert.True(parsed.Warnings.Count <= 4 * (WarningList.PerKind + 1), $"{parsed.Warnings.Count} warnings");
        Assert.True(elapsed < PathologicalLimit, $"{shape}: {elapsed.TotalMilliseconds} ms");
    }

    private (ParsedResponse Parsed, TimeSpan Elapsed) Timed(string reply)
    {
        var watch = Stopwatch.StartNew();
        var parsed = ResponseParser.Parse(reply);
        watch.Stop();
        output.WriteLine($"{reply.Length} chars: {parsed.Files.Count} files, {parsed.Warnings.Count} warnings, " +
            $"{watch.Elapsed.TotalMilliseconds:F1} ms");
        return (parsed, watch.Elapsed);
    }

    private static string Build(string shape) => shape switch
    {
        "backtick-line" => new string('`', OneMegabyte),
        "fence-lines" => Repeat("```\n"),
        "nested-markdown" => "```markdown path=README.md\n" + Repeat("```a\n```\n"),
        "nesting-fallbacks" => Repeat("**x.md**\n```md\n```b\n```\n"),
        "long-info" => "```csharp " + Repeat("path=x ") + "\nx\n```\n",
        "long-label" => Repeat("**src/") + "\n```\nx\n```\n",
        "file-tags" => Repeat("<file pathpathpath path ") + ">\n" + Repeat("<file path=\"a.txt\">\n"),
        "quotes-and-colons" => "```" + Repeat(":*\"'`") + "\n" + Repeat("// filepath: " + new string('*', 40) + "\n"),
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    private static string Repeat(string unit)
    {
        var builder = new StringBuilder(OneMegabyte + unit.Length);
        while (builder.Length < OneMegabyte)
        {
            builder.Append(unit);
        }
        return builder.ToString();
    }
}
