using SpecSynth.Tests.Cli.Providers;

namespace SpecSynth.Tests.Cli;

/// <summary>What a run says at its end is what happened: an interrupted run of several specs names those written, undo
/// refuses (exit 2, run kept) when it can touch nothing, an unreadable journal manifest is skipped with a warning, and an
/// output folder that can never be written is refused before anything is sent.</summary>
public sealed class TruthfulEndingsTests
{
    [Fact]
    public async Task Interrupted_during_the_second_spec_says_the_first_was_written()
    {
        await using var h = await CliHarness.StartAsync("claude");
        var second = Path.Combine(h.Project, "second.md");
        await File.WriteAllTextAsync(second, "# Second\n\nA counter that counts up.\n\n## Requirements\n\n- It MUST count.\n");
        var hang = h.Case.Reply(ModelAnswers.TwoFiles.Replace("Greeter", "Counter", StringComparison.Ordinal), stream: true);
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream: true), hang with { PauseAfterBytes = hang.Body.Length / 3, Pause = TimeSpan.FromSeconds(5) });
        using var cts = new CancellationTokenSource();
        var run = h.Cli.RunAsync(cts.Token, ["generate", h.SpecPath, second, "--out", h.Out, "--concurrency", "1", "--provider", "claude"]);
        while (h.ChatRequests.Count < 2 && !run.IsCompleted)
        {
            await Task.Delay(20);
        }
        await Task.Delay(200);
        await cts.CancelAsync();

        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 130, result.Error);
        Assert.DoesNotContain("nothing was written", result.Error, StringComparison.Ordinal);
        Assert.Contains("Written before the interruption: " + h.SpecPath + " (2 files", result.Error, StringComparison.Ordinal);
        Assert.Contains("Not written: " + second, result.Error, StringComparison.Ordinal);
        Assert.Equal(["src/Greeter.cs", "tests/GreeterTests.cs"], h.OutputFiles);
    }

    [Fact]
    public async Task Undo_after_the_output_folder_moved_fails_and_keeps_the_run()
    {
        using var dir = new TempDir();
        var cli = new CliRunner(dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = dir.Combine("state") });
        var spec = dir.Write("spec.md", ModelAnswers.Spec);
        Assert.Equal(0, (await cli.RunAsync("generate", spec, "--mock-llm", "--out", "out")).ExitCode);
        var written = Directory.EnumerateFiles(dir.Combine("out"), "*", SearchOption.AllDirectories).Count();
        Directory.Move(dir.Combine("out"), dir.Combine("moved"));

        var refused = await cli.RunAsync("undo");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("no longer exists", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Undid run", refused.Error, StringComparison.Ordinal);
        Directory.Move(dir.Combine("moved"), dir.Combine("out"));
        var undone = await cli.RunAsync("undo");
        Assert.True(undone.ExitCode == 0, undone.Error);
        Assert.Contains($"deleted {written} created files", undone.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(dir.Combine("out")) ? Directory.EnumerateFiles(dir.Combine("out"), "*", SearchOption.AllDirectories) : []);
    }

    [Fact]
    public async Task Undo_of_a_run_whose_files_are_all_gone_fails_unless_forced()
    {
        using var dir = new TempDir();
        var cli = new CliRunner(dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = dir.Combine("state") });
        var spec = dir.Write("spec.md", ModelAnswers.Spec);
        Assert.Equal(0, (await cli.RunAsync("generate", spec, "--mock-llm", "--out", "out")).ExitCode);
        foreach (var file in Directory.EnumerateFiles(dir.Combine("out"), "*", SearchOption.AllDirectories).ToList())
        {
            File.Delete(file);
        }

        var refused = await cli.RunAsync("undo");
        var forced = await cli.RunAsync("undo", "--force");
        var nothingLeft = await cli.RunAsync("undo");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("Nothing was touched", refused.Error, StringComparison.Ordinal);
        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.Contains("no file needed restoring", forced.Error, StringComparison.Ordinal);
        Assert.Equal(2, nothingLeft.ExitCode);
        Assert.Contains("Nothing to undo", nothingLeft.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_journal_manifest_is_skipped_with_a_warning_and_never_fails_a_generate()
    {
        using var dir = new TempDir();
        var cli = new CliRunner(dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = dir.Combine("state") });
        var spec = dir.Write("spec.md", ModelAnswers.Spec);
        var broken = dir.Write("state/journal/20260101T000000000Z-broken/manifest.json", "{ not json");

        var result = await cli.RunAsync("generate", spec, "--mock-llm", "--out", "out");
        var written = Directory.EnumerateFiles(dir.Combine("out"), "*", SearchOption.AllDirectories).Count();
        var undo = await cli.RunAsync("undo");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Single(result.Error.Split('\n'), l => l.StartsWith("warning: the write journal manifest '" + broken, StringComparison.Ordinal));
        Assert.True(written > 0);
        Assert.True(undo.ExitCode == 0, undo.Error);
        Assert.Contains("warning: the write journal manifest", undo.Error, StringComparison.Ordinal);
    }

    public static TheoryData<string> UnwritableOutputs() => ["file", "under-file", "not-writable"];

    [Theory]
    [MemberData(nameof(UnwritableOutputs))]
    public async Task An_output_folder_that_cannot_be_written_is_exit2_before_anything_is_sent(string kind)
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream: true));
        var file = Path.Combine(h.Root, "a-file.txt");
        await File.WriteAllTextAsync(file, "not a folder\n");
        var (outDir, expected) = kind switch
        {
            "file" => (file, "is a file"),
            "under-file" => (Path.Combine(file, "sub", "out"), "lies under the file"),
            // /proc refuses new files even to root, which ignores permission bits.
            _ => ("/proc/specsynth-test-" + Guid.NewGuid().ToString("N"), "is not writable"),
        };

        var result = await h.RunAsync("generate", h.SpecPath, "--out", outDir, "--json");

        Assert.True(result.ExitCode == 2, result.Error);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Empty(h.ChatRequests);
        Assert.Equal("not a folder\n", await File.ReadAllTextAsync(file));
    }
}
