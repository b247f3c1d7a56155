using System.Text;

namespace SpecSynth.Benchmarks.Inputs;

/// <summary>Large and adversarial inputs, shared by the benchmarks and the large-input tests (which link this file).</summary>
internal static class LargeInputs
{
    public const int OneMegabyte = 1 << 20;

    /// <summary>The adversarial reply shapes <see cref="PathologicalReply"/> builds.</summary>
    public static readonly string[] PathologicalShapes =
    [
        "backtick-line", "fence-lines", "nested-markdown", "nesting-fallbacks", "long-info", "long-label", "file-tags",
        "quotes-and-colons",
    ];

    /// <summary>A kiro/spec-kit style spec of about <paramref name="size"/> characters.</summary>
    public static string LargeSpec(int size)
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

    /// <summary>A realistic reply of about 1 MB: <paramref name="count"/> labelled C# files of ten lines.</summary>
    public static string LargeReply(out int count)
    {
        var reply = new StringBuilder();
        count = 0;
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
        return reply.ToString();
    }

    public static string PathologicalReply(string shape) => shape switch
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
