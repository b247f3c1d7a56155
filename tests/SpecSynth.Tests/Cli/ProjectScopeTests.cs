using System.Text.Json;
using SpecSynth.Tests.Cli.Providers;

namespace SpecSynth.Tests.Cli;

/// <summary>
/// Which folder gives context: without <c>--project</c>, the <c>--out</c> folder when given (never the current folder's
/// unrelated files); the files a spec wrote and the user edited since go back to the model whole and are reported as
/// having had local edits. Over the fake Anthropic server, as a user runs it.
/// </summary>
public sealed class ProjectScopeTests
{
    private const string Unrelated = "namespace Greeter;\n\n// unrelated-marker-4711: the user's own code, not for this spec\n" +
        "public static class GreeterCache\n{\n    public static string Greet(string name) => name;\n}\n";

    [Fact]
    public async Task Out_without_project_is_the_context_so_the_current_folders_files_are_not_sent()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, true), h.Case.Reply(ModelAnswers.TwoFiles, true), h.Case.Reply(ModelAnswers.TwoFiles, true));
        File.WriteAllText(Path.Combine(h.Project, "src", "GreeterCache.cs"), Unrelated);
        var outDir = Path.Combine(h.Root, "generated");

        var first = await h.RunAsync("generate", h.SpecPath, "--out", outDir, "--json");
        var again = await h.RunAsync("generate", h.SpecPath, "--out", outDir, "--json");
        var context = await h.Cli.RunAsync("context", h.SpecPath, "--out", outDir, "--mock-llm", "--json");
        var withProject = await h.RunAsync("generate", h.SpecPath, "--project", h.Project, "--out", Path.Combine(h.Root, "elsewhere"), "--json");

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.True(withProject.ExitCode == 0, withProject.Error);
        Assert.DoesNotContain("unrelated-marker-4711", h.ChatRequests[0].Body, StringComparison.Ordinal);
        Assert.DoesNotContain("GreeterCache", h.ChatRequests[0].Body, StringComparison.Ordinal);
        // The second run sees only its own unchanged output in --out: left out, so the same prompt is answered by the cache.
        using (var second = JsonDocument.Parse(again.Out))
        {
            Assert.True(second.RootElement.GetProperty("cache_hit").GetBoolean());
        }
        Assert.Equal(2, h.ChatRequests.Count);
        // An explicit --project is still the context.
        Assert.Contains("unrelated-marker-4711", h.ChatRequests[1].Body, StringComparison.Ordinal);

        Assert.True(context.ExitCode == 0, context.Error);
        using var plan = JsonDocument.Parse(context.Out);
        Assert.Equal(outDir, plan.RootElement.GetProperty("project").GetString());
        Assert.DoesNotContain(plan.RootElement.GetProperty("items").EnumerateArray(),
            i => i.GetProperty("path").GetString() is { } p && p.Contains("GreeterCache", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Out_naming_a_file_is_bad_input_before_anything_is_sent()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, true));
        var file = Path.Combine(h.Root, "not-a-folder.txt");
        File.WriteAllText(file, "x");

        var result = await h.RunAsync("generate", h.SpecPath, "--out", file, "--json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--out {file} is a file", result.Out, StringComparison.Ordinal);
        Assert.Empty(h.ChatRequests);
    }

    [Fact]
    public async Task A_file_edited_since_it_was_written_is_sent_whole_and_reported_as_having_had_local_edits()
    {
        await using var h = await CliHarness.StartAsync("claude");
        for (var i = 0; i < 4; i++)
        {
            h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, true));
        }
        // The output folder is outside the project: only the local edits bring its files into the context.
        var outDir = Path.Combine(h.Root, "generated");
        var greeter = Path.Combine(outDir, "src", "Greeter.cs");
        string[] args = ["generate", h.SpecPath, "--project", h.Project, "--out", outDir];

        var first = await h.RunAsync([.. args, "--json"]);
        File.AppendAllText(greeter, "\n// edited by hand: local-edit-marker-0815\n");
        var dryRun = await h.RunAsync([.. args, "--dry-run"]);
        var written = await h.RunAsync(args);
        File.AppendAllText(greeter, "\n// edited again: local-edit-marker-0816\n");
        var json = await h.RunAsync([.. args, "--json"]);

        Assert.True(first.ExitCode == 0, first.Error);
        using (var firstDoc = JsonDocument.Parse(first.Out))
        {
            Assert.All(firstDoc.RootElement.GetProperty("files").EnumerateArray(), f => Assert.False(f.GetProperty("local_edits").GetBoolean()));
        }
        Assert.DoesNotContain("local-edit-marker", h.ChatRequests[0].Body, StringComparison.Ordinal);
        Assert.True(dryRun.ExitCode == 0, dryRun.Error);
        Assert.Contains("local-edit-marker-0815", h.ChatRequests[1].Body, StringComparison.Ordinal);
        Assert.Contains("would modify (has local edits) src/Greeter.cs", dryRun.Error, StringComparison.Ordinal);
        Assert.Contains("local-edit-marker-0815", dryRun.Out, StringComparison.Ordinal);
        Assert.True(written.ExitCode == 0, written.Error);
        Assert.Contains("modified (had local edits) src/Greeter.cs", written.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("local edits) tests/GreeterTests.cs", written.Error, StringComparison.Ordinal);
        Assert.Equal(ModelAnswers.GreeterFile, File.ReadAllText(greeter));

        Assert.True(json.ExitCode == 0, json.Error);
        Assert.Contains("local-edit-marker-0816", h.ChatRequests[^1].Body, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json.Out);
        var files = doc.RootElement.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!);
        Assert.Equal("modified", files["src/Greeter.cs"].GetProperty("action").GetString());
        Assert.True(files["src/Greeter.cs"].GetProperty("local_edits").GetBoolean());
        Assert.False(files["tests/GreeterTests.cs"].GetProperty("local_edits").GetBoolean());
    }
}
