using System.Text.Json;
using SpecSynth.Context;
using SpecSynth.Context.Relevance;
using SpecSynth.Context.Tokens;
using SpecSynth.Prompting;
using SpecSynth.Projects;
using SpecSynth.Providers;
using SpecSynth.Specs;
using SpecSynth.Tests.Cli;

namespace SpecSynth.Tests.Context;

/// <summary>
/// <c>specsynth context</c> scans the tree only (paths and sizes): the ranker streams the files and the planner reads
/// only what it packs. The packed prompt is the one a scan that reads every file up front gives, cold and warm (with the
/// context index and the token-count cache of the state folder).
/// </summary>
public sealed class ContextScanParityTests
{
    [Fact]
    public async Task TheContextCommand_PacksWhatAFullScanPacks_ColdAndWarm()
    {
        using var dir = new TempDir();
        File.Copy(Path.Combine(TestPaths.RealSpecs, "kiro-audiocap-http-api-design.md"), dir.Combine("spec.md"));
        dir.Write("AudioCap/Server/HTTPServerManager.swift", """
            import Foundation

            @Observable
            final class HTTPServerManager {
                var isRunning: Bool = false
                let awsKey = "AKIAIOSFODNN7EXAMPLE"
                func start() async throws {}
                func stop() async {}
            }
            """);
        dir.Write("AudioCap/Server/RecordingRoutes.swift", "\uFEFF" + """
            import Vapor

            func registerRecordingRoutes(_ app: Application) {
                app.post("/recording/start") { req in try await RecordingAPIHandler.start(req) }
                app.post("/recording/stop") { req in try await RecordingAPIHandler.stop(req) }
                app.get("/recording/status") { req in RecordingAPIHandler.status(req) }
            }
            """);
        dir.Write("AudioCap/ProcessTap/ProcessTap.swift", "import CoreAudio\n\nfinal class ProcessTap {\n    func activate() throws {}\n}\n");
        dir.Write("AudioCap/ProcessTap/AudioProcessController.swift", "import AppKit\n\nfinal class AudioProcessController {\n    func activate() {}\n}\n");
        dir.Write("AudioCap/Views/AboutView.swift", "import SwiftUI\n\nstruct AboutView: View {\n    var body: some View { Text(\"Made with love\") }\n}\n");
        dir.Write("AudioCap/Big/Generated.swift", string.Concat(Enumerable.Range(0, 3000).Select(i => $"let recordingValue{i} = {i} // HTTP server recording\n")));
        for (var i = 0; i < 60; i++)
        {
            dir.Write($"AudioCap/Misc/File{i}.swift", $"let value{i} = {i}\n");
        }
        using var home = new TempDir(); // outside the project: the state folder is not part of its tree
        var cli = new CliRunner(dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = home.Path });
        string[] args = ["context", "spec.md", "--provider", "openai", "--model", "gpt-4o", "--budget", "12000", "--show-prompt", "--json"];

        var cold = await cli.RunAsync(args);
        var warm = await cli.RunAsync(args);

        Assert.True(cold.ExitCode == 0, cold.Error + cold.Out);
        Assert.Equal(cold.Out, warm.Out);
        var expected = await FullScanPlanAsync(dir.Path, 12_000);
        using var doc = JsonDocument.Parse(cold.Out);
        var root = doc.RootElement;
        var texts = root.GetProperty("messages").EnumerateArray()
            .SelectMany(m => m.GetProperty("contents").EnumerateArray().Select(c => c.GetProperty("text").GetString())).ToList();
        Assert.Equal(expected.Prompt.Messages.SelectMany(m => m.Contents.OfType<Microsoft.Extensions.AI.TextContent>().Select(c => c.Text)), texts);
        Assert.Equal(expected.Items.Select(i => $"{i.Path} {i.Tokens} {i.State}"),
            root.GetProperty("items").EnumerateArray().Select(i => $"{(i.GetProperty("path").ValueKind == JsonValueKind.Null ? null : i.GetProperty("path").GetString())} " +
                $"{i.GetProperty("tokens").GetInt32()} {ParseState(i.GetProperty("state").GetString()!)}"));
        Assert.Equal(expected.Tightest.PromptTokens, root.GetProperty("total_tokens").GetInt32());
        // What was packed: the related files whole (the secret redacted), the large one as an outline or path only.
        Assert.Contains(texts, t => t!.Contains("final class HTTPServerManager", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t!.Contains("AKIAIOSFODNN7EXAMPLE", StringComparison.Ordinal));
        Assert.Single(Directory.EnumerateFiles(home.Path, TokenCountCache.FileName, SearchOption.AllDirectories));
    }

    [Fact]
    public async Task WithTheIndexOff_NothingAboutTheProjectIsKept_AndThePlanIsTheSame()
    {
        using var dir = new TempDir();
        File.Copy(Path.Combine(TestPaths.RealSpecs, "kiro-audiocap-http-api-design.md"), dir.Combine("spec.md"));
        dir.Write("AudioCap/Server/HTTPServerManager.swift", "import Foundation\n\nfinal class HTTPServerManager {\n    func start() async throws {}\n}\n");
        dir.Write("AudioCap/Views/AboutView.swift", "import SwiftUI\n\nstruct AboutView: View {}\n");
        using var on = new TempDir();
        using var off = new TempDir();
        string[] args = ["context", "spec.md", "--provider", "openai", "--model", "gpt-4o", "--budget", "12000", "--json"];

        dir.Write("specsynth.toml", "[context]\nindex = true\n");
        var indexed = await new CliRunner(dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = on.Path }).RunAsync(args);
        dir.Write("specsynth.toml", "[context]\nindex = false\n");
        var cli = new CliRunner(dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = off.Path });
        var first = await cli.RunAsync(args);
        var second = await cli.RunAsync(args);

        Assert.True(first.ExitCode == 0, first.Error + first.Out);
        Assert.Equal(first.Out, second.Out);
        Assert.Equal(indexed.Out, first.Out);
        Assert.NotEmpty(Directory.EnumerateFiles(on.Path, "*.ctx*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(off.Path, "*.ctx*", SearchOption.AllDirectories));
    }

    /// <summary>The plan as it was made before: every file read by the scan (redacted), ranked and packed from the scan.</summary>
    private static async Task<ContextPlan> FullScanPlanAsync(string root, int budget)
    {
        var project = await new ProjectScanner(new ProjectScanOptions()).ScanAsync(root);
        var spec = await SpecParser.ParseFileAsync(Path.Combine(root, "spec.md"));
        var ranked = await new RelevanceRanker().RankAsync(spec, project);
        using var targets = ContextTargets.Create([new ProviderLimit("openai", "gpt-4o", 128_000, 16_384)], null, exactTokens: false, budget);
        var request = new ContextPlanRequest(spec, project) { Ranked = ranked };
        return await new ContextPlanner(new PromptBuilder(PromptTemplates.Load(root))).PlanAsync(request, targets.All);
    }

    private static ContextItemState ParseState(string state) => state switch
    {
        "path_only" or "path-only" => ContextItemState.PathOnly,
        _ => Enum.Parse<ContextItemState>(state.Replace("_", "", StringComparison.Ordinal), ignoreCase: true),
    };
}
