using System.Diagnostics;
using System.Text.Json;
using SpecSynth.Cli;
using SpecSynth.Context.Index;

namespace SpecSynth.Tests.Cli;

/// <summary>
/// <c>[context] index_build = "background"</c> (the default): the CLI process ranks without a missing index and, after it
/// has answered, a detached <c>specsynth index</c> builds it; the next run reads it. Real processes (the point is the
/// detached child): the CLI as its own project built it, each run with its own state folder.
/// </summary>
public sealed class BackgroundIndexTests : IDisposable
{
    private readonly TempDir _dir = new();

    public BackgroundIndexTests()
    {
        // A project whose files the spec's words pick out, and many that it does not.
        _dir.Write("project/spec.md", "# Widget\n\nThe `Widget` class MUST spin the `Gear` when `Rotate` is called.\n");
        _dir.Write("project/src/Widget.cs", "namespace App;\n\npublic sealed class Widget\n{\n    public void Rotate(Gear gear) => gear.Spin();\n}\n");
        _dir.Write("project/src/Gear.cs", "namespace App;\n\npublic sealed class Gear\n{\n    public void Spin() { }\n}\n");
        for (var i = 0; i < 200; i++)
        {
            _dir.Write($"project/lib/m{i / 20}/Part{i}.cs", $"namespace Lib;\n\ninternal static class Part{i}\n{{\n    public static int Value() => {i};\n}}\n");
        }
    }

    public void Dispose() => _dir.Dispose();

    private string Project => _dir.Combine("project");

    [Fact]
    public async Task FreshRun_RanksAsInline_ThenTheDetachedChildBuildsTheIndex_AndTheNextRunReadsIt()
    {
        // Files changed within the index's racy window (2 s) are not recorded: let the tree settle first.
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        var inlineState = _dir.Combine("inline-state");
        Directory.CreateDirectory(inlineState);
        File.WriteAllText(Path.Combine(inlineState, "config.toml"), "[context]\nindex_build = \"inline\"\n");
        var background = _dir.Combine("background-state");

        var inline = await RunCliAsync(inlineState, "context", "spec.md", "--mock-llm", "--json");
        // Inline: the index is there when the process exits, and no builder was started (its lock file is the child's).
        Assert.True(inline.Code == 0, inline.Stderr);
        Assert.True(File.Exists(IndexPath(inlineState)), "inline: the first run writes the index");
        Assert.False(File.Exists(IndexPath(inlineState) + IndexBuildLock.Suffix), "inline: no background builder");

        var fresh = await RunCliAsync(background, "context", "spec.md", "--mock-llm", "--json");
        Assert.True(fresh.Code == 0, fresh.Stderr);
        Assert.Equal(inline.Stdout, fresh.Stdout);
        Assert.Contains("src/Widget.cs", fresh.Stdout, StringComparison.Ordinal);

        await WaitForTheBuilderAsync(background);
        var again = await RunCliAsync(background, "context", "spec.md", "--mock-llm", "--json");
        var refresh = await RunCliAsync(background, "index", "--json");

        Assert.True(again.Code == 0, again.Stderr);
        Assert.Equal(fresh.Stdout, again.Stdout);
        Assert.True(refresh.Code == 0, refresh.Stderr);
        using var json = JsonDocument.Parse(refresh.Stdout);
        Assert.True(json.RootElement.GetProperty("indexed").GetInt32() >= 202, refresh.Stdout);
        Assert.Equal(0, json.RootElement.GetProperty("read").GetInt32()); // the child recorded every file
        Assert.False(json.RootElement.GetProperty("already_building").GetBoolean());
    }

    [Fact]
    public async Task WhileAnotherProcessBuilds_IndexReturnsAtOnce_AndTheContextIsTheSame()
    {
        var state = _dir.Combine("state");
        var reference = await RunCliAsync(_dir.Combine("reference-state"), "context", "spec.md", "--mock-llm", "--json");
        Directory.CreateDirectory(Path.GetDirectoryName(IndexPath(state))!);

        using (var held = IndexBuildLock.TryTake(IndexPath(state)))
        {
            Assert.NotNull(held);
            Assert.True(IndexBuildLock.IsHeld(IndexPath(state)));
            var busy = await RunCliAsync(state, "index", "--json");
            var ranked = await RunCliAsync(state, "context", "spec.md", "--mock-llm", "--json");

            Assert.True(busy.Code == 0, busy.Stderr);
            using var json = JsonDocument.Parse(busy.Stdout);
            Assert.True(json.RootElement.GetProperty("already_building").GetBoolean());
            Assert.True(ranked.Code == 0, ranked.Stderr);
            Assert.Equal(reference.Stdout, ranked.Stdout);
            Assert.False(File.Exists(IndexPath(state)), "nothing builds while the lock is held");
        }

        Assert.False(IndexBuildLock.IsHeld(IndexPath(state)));
        var built = await RunCliAsync(state, "index", "--json");
        Assert.True(built.Code == 0, built.Stderr);
        using var result = JsonDocument.Parse(built.Stdout);
        Assert.False(result.RootElement.GetProperty("already_building").GetBoolean());
        Assert.True(File.Exists(IndexPath(state)));
        await WaitForTheBuilderAsync(_dir.Combine("reference-state")); // the reference run's own child
    }

    [Fact]
    public async Task TwoBuildersAtOnce_BothExitZero_AndLeaveOneValidIndex()
    {
        await Task.Delay(TimeSpan.FromSeconds(2.2)); // settled files, so the index records them all
        var state = _dir.Combine("state");

        var runs = await Task.WhenAll(RunCliAsync(state, "index", "--json"), RunCliAsync(state, "index", "--json"));
        var after = await RunCliAsync(state, "index", "--json");

        Assert.All(runs, r => Assert.True(r.Code == 0, r.Stderr));
        Assert.Contains(runs, r => !JsonDocument.Parse(r.Stdout).RootElement.GetProperty("already_building").GetBoolean());
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(IndexPath(state))!, "*" + IndexFile.Extension));
        using var json = JsonDocument.Parse(after.Stdout);
        Assert.Equal(0, json.RootElement.GetProperty("read").GetInt32());
    }

    [Fact]
    public async Task AContextRunWithOnlyAnOutputFolder_StartsABuilderWithTheWorkingFoldersConfiguration_NotTheOutputFolders()
    {
        // The run's configuration is the working folder's (the project folder here: index on); its files are --out's. That
        // folder's own specsynth.toml turns the index off: a builder that read it would build nothing.
        _dir.Write("out/specsynth.toml", "[context]\nindex = false\n");
        _dir.Write("out/src/Widget.cs", "namespace Out;\n\npublic sealed class Widget\n{\n    public void Rotate() { }\n}\n");
        // Files changed within the index's racy window (2 s) are not recorded: let the tree settle first.
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        var output = _dir.Combine("out");
        var state = _dir.Combine("state");

        var run = await RunCliAsync(state, "context", "spec.md", "--out", output, "--mock-llm", "--json");

        Assert.True(run.Code == 0, run.Stderr);
        Assert.Contains("src/Widget.cs", run.Stdout, StringComparison.Ordinal);
        await WaitForTheBuilderAsync(state, output);
        var refresh = await RunCliAsync(state, "index", "--out", output, "--json");
        Assert.True(refresh.Code == 0, refresh.Stderr);
        using var json = JsonDocument.Parse(refresh.Stdout);
        Assert.Equal(output, json.RootElement.GetProperty("project").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("read").GetInt32()); // the child recorded every file of --out
    }

    [Theory]
    [InlineData(new[] { "context", "spec.md", "--project", "/p" }, true)]
    [InlineData(new[] { "--verbose", "generate", "a.md", "--project=/p" }, true)]
    [InlineData(new[] { "generate", "a.md", "--project:/p" }, true)]
    [InlineData(new[] { "context", "spec.md", "--out", "/o" }, false)]
    [InlineData(new[] { "context", "spec.md", "--projects" }, false)]
    [InlineData(new[] { "generate", "--", "--project" }, false)]
    [InlineData(new string[0], false)]
    public void GivesProject_ReadsTheCommandsOwnOptions(string[] args, bool expected) =>
        Assert.Equal(expected, BackgroundIndexBuilds.GivesProject(Parse(args)));

    [Fact]
    public void GivesProject_ReadsAResponseFile_AsTheParserDoes()
    {
        // The arguments' own text names no --project: a hand parse of them said "no" and the builder got the wrong configuration.
        _dir.Write("args.rsp", "--project /p\n--json\n");

        Assert.True(BackgroundIndexBuilds.GivesProject(Parse(["context", "spec.md", "@" + _dir.Combine("args.rsp")])));
        Assert.False(BackgroundIndexBuilds.GivesProject(Parse(["context", "spec.md", "--out", "/o"])));
    }

    private System.CommandLine.ParseResult Parse(string[] args) =>
        CliApp.BuildRoot(new CliHost(TextWriter.Null, TextWriter.Null, _ => null, Project, false, TimeProvider.System)).Parse(args);

    [Theory]
    [InlineData("4242 (specsynth) S 1 4242 4242 0 -1 4194560", true)]
    [InlineData("1 (specsynth) S 0 1 1 0 -1 4194560", true)]
    [InlineData("4242 (spec synth) (x) R 1 4242", true)]
    [InlineData("4242 (specsynth) S 77 4242 4242 0 -1 4194560", false)]
    [InlineData("4242 (a 1) b) S 10 4242", false)]
    [InlineData("4242 (specsynth) S", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void UnderPid1_TheIndexIsBuiltInline_NotLeftToAChildThatPid1MayNotReap(string? stat, bool inline) =>
        Assert.Equal(inline, BackgroundIndexBuilds.ParentIsInit(stat));

    [Fact]
    public void WithoutProject_TheChildIndexesTheFolderWithOut_InThisWorkingFolder()
    {
        var child = BackgroundIndexBuilds.StartInfo("/o", configFromWorkingFolder: true, "/opt/specsynth/specsynth", "/opt/specsynth/SpecSynth.Cli.dll");

        Assert.Equal(["index", "--out", "/o", "--background"], child.ArgumentList);
        Assert.Equal(Environment.CurrentDirectory, child.WorkingDirectory);
    }

    [Fact]
    public void TheChild_IsThisExecutable_OrTheDotnetHostWithTheEntryAssembly()
    {
        var apphost = BackgroundIndexBuilds.StartInfo("/p", configFromWorkingFolder: false, "/opt/specsynth/specsynth", "/opt/specsynth/SpecSynth.Cli.dll");
        var dotnet = BackgroundIndexBuilds.StartInfo("/p", configFromWorkingFolder: false, "/usr/share/dotnet/dotnet", "/opt/specsynth/SpecSynth.Cli.dll");

        Assert.Equal("/opt/specsynth/specsynth", apphost.FileName);
        Assert.Equal(["index", "--project", "/p", "--background"], apphost.ArgumentList);
        Assert.Equal("/usr/share/dotnet/dotnet", dotnet.FileName);
        Assert.Equal(["/opt/specsynth/SpecSynth.Cli.dll", "index", "--project", "/p", "--background"], dotnet.ArgumentList);
        // Never the parent's own streams: a shell's $(...) or a pipe would wait for the child.
        Assert.True(apphost.RedirectStandardInput && apphost.RedirectStandardOutput && apphost.RedirectStandardError);
        Assert.False(apphost.UseShellExecute);
    }

    /// <summary>Until the background builder has written the index and let go of its lock (at most a minute).</summary>
    private async Task WaitForTheBuilderAsync(string state, string? root = null)
    {
        var index = IndexPath(state, root);
        var deadline = Stopwatch.StartNew();
        while (!(File.Exists(index) && !IndexBuildLock.IsHeld(index)))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(1), "the background builder wrote no index within a minute");
            await Task.Delay(50);
        }
    }

    private string IndexPath(string state, string? root = null) =>
        new ContextIndex(new ContextIndexOptions(Path.Combine(state, ContextIndexOptions.FolderName), 1L << 30), TimeProvider.System).PathFor(root ?? Project);

    /// <summary>Runs the CLI in the project folder with the state folder <paramref name="state"/>; returns when its output
    /// streams close (which a child holding them would delay).</summary>
    private async Task<(int Code, string Stdout, string Stderr)> RunCliAsync(string state, params string[] args)
    {
        var otel = Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("OTEL_", StringComparison.Ordinal));
        var result = await CliProcess.RunAsync(Project, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = state }, args, otel.ToList());
        return (result.ExitCode, result.Out, result.Error);
    }
}
