using System.Collections.Concurrent;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using SpecSynth.Tests.Service;

namespace SpecSynth.Tests.Mcp;

/// <summary><c>specsynth mcp</c> end to end: the SDK's client drives the real command over a pipe, with the mock provider.</summary>
public sealed class McpServerTests
{
    [Fact]
    public async Task ListTools_OffersEveryTool_WithADescriptionAndAnObjectSchema()
    {
        using var world = new ServiceWorld();
        await using var session = await McpTestSession.StartAsync(world);

        var tools = await session.Client.ListToolsAsync();

        Assert.Equal(["apply", "context", "explain", "generate", "models", "review", "undo", "usage"], tools.Select(t => t.Name).Order().ToArray());
        Assert.All(tools, t =>
        {
            Assert.False(string.IsNullOrWhiteSpace(t.Description));
            Assert.Equal("object", t.JsonSchema.GetProperty("type").GetString());
        });
        var generate = tools.Single(t => t.Name == "generate").JsonSchema.GetProperty("properties");
        Assert.True(generate.GetProperty("dry_run").GetProperty("default").GetBoolean());
    }

    [Fact]
    public async Task Context_ReturnsThePlan_AsStructuredContent()
    {
        using var world = new ServiceWorld();
        await using var session = await McpTestSession.StartAsync(world);

        var result = await session.CallAsync("context", new { spec = "spec.md", provider = "mock" });

        Assert.NotEqual(true, result.IsError);
        var plan = result.StructuredContent!.Value;
        Assert.EndsWith("spec.md", plan.GetProperty("spec").GetString(), StringComparison.Ordinal);
        Assert.True(plan.GetProperty("total_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task GenerateDryRun_ThenApply_WritesExactlyThePlannedFiles_AndUndoRemovesThem_WithProgress()
    {
        using var world = new ServiceWorld();
        await using var session = await McpTestSession.StartAsync(world);
        // The SDK's per-call progress handler is removed when the call returns, and the client dispatches notifications on
        // their own tasks: one the server sent just before its result can reach the client after the call's handler is gone.
        // So the test collects every progress notification for the whole session; the per-call progress only asks for them.
        var progress = new ConcurrentQueue<ProgressNotificationValue>();
        await using var collector = session.Client.RegisterNotificationHandler(NotificationMethods.ProgressNotification, (notification, _) =>
        {
            if (JsonSerializer.Deserialize<ProgressNotificationParams>(notification.Params, McpJsonUtilities.DefaultOptions) is { } sent)
            {
                progress.Enqueue(sent.Progress);
            }
            return default;
        });

        var dry = await session.CallAsync("generate", new { spec = "spec.md", @out = "out", provider = "mock" }, new SyncProgress(_ => { }));

        Assert.NotEqual(true, dry.IsError);
        var result = dry.StructuredContent!.Value;
        Assert.Equal("dry_run", result.GetProperty("status").GetString());
        Assert.False(Directory.Exists(world.Out));
        var planned = result.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()!).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(planned);
        Assert.Contains("+++ b/" + planned[0], result.GetProperty("diff").GetString(), StringComparison.Ordinal);
        // The server sends every notification before the result; the client hands them to the handler asynchronously.
        for (var wait = DateTime.UtcNow.AddSeconds(30); !progress.Any(p => p.Message?.StartsWith("reply received", StringComparison.Ordinal) == true)
            && DateTime.UtcNow < wait; await Task.Delay(10))
        {
        }
        Assert.Contains(progress, p => p.Message?.StartsWith("asking mock", StringComparison.Ordinal) == true);
        Assert.Contains(progress, p => p.Message?.StartsWith("reply received", StringComparison.Ordinal) == true);
        var id = result.GetProperty("dry_run_id").GetString();

        var apply = await session.CallAsync("apply", new { dry_run_id = id });

        Assert.NotEqual(true, apply.IsError);
        Assert.Equal(planned, world.OutputFiles().Select(f => f.Path).ToList());
        Assert.Equal(planned, apply.StructuredContent!.Value.GetProperty("created").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal).ToList());
        var again = await session.CallAsync("apply", new { dry_run_id = id });
        Assert.True(again.IsError);

        var undo = await session.CallAsync("undo");

        Assert.NotEqual(true, undo.IsError);
        Assert.Empty(world.OutputFiles());
        Assert.Equal(0, await session.StopAsync());
        Assert.Equal("", session.Stdout.ToString());
    }

    [Fact]
    public async Task Apply_IsRefused_WhenAPlannedFileChangedSinceTheDryRun()
    {
        using var world = new ServiceWorld();
        await using var session = await McpTestSession.StartAsync(world);
        var dry = (await session.CallAsync("generate", new { spec = "spec.md", @out = "out", provider = "mock" })).StructuredContent!.Value;
        var first = dry.GetProperty("files")[0].GetProperty("path").GetString()!;
        world.Write("out/" + first, "// written by the person meanwhile\n");

        var apply = await session.CallAsync("apply", new { dry_run_id = dry.GetProperty("dry_run_id").GetString() });

        Assert.True(apply.IsError);
        var error = apply.StructuredContent!.Value.GetProperty("error");
        Assert.Equal("bad_input", error.GetProperty("kind").GetString());
        Assert.Equal(2, error.GetProperty("exit_code").GetInt32());
        Assert.Contains(first, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal([first], world.OutputFiles().Select(f => f.Path));
    }

    [Theory]
    [InlineData("generate", "spec", "../outside.md")]
    [InlineData("generate", "out", "/tmp")]
    [InlineData("context", "spec", "/etc/passwd")]
    [InlineData("explain", "files", "../../secret.cs")]
    public async Task APathOutsideTheProject_IsAToolError_AndNothingIsRead(string tool, string argument, string path)
    {
        using var world = new ServiceWorld();
        await using var session = await McpTestSession.StartAsync(world);
        var args = new Dictionary<string, object> { [argument] = argument == "files" ? new[] { path } : path, ["provider"] = "mock" };
        if (argument != "spec" && tool != "explain")
        {
            args["spec"] = "spec.md";
        }

        var result = await session.CallAsync(tool, args);

        Assert.True(result.IsError);
        var error = result.StructuredContent!.Value.GetProperty("error");
        Assert.Equal("bad_input", error.GetProperty("kind").GetString());
        Assert.Contains("outside the project folder", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadSpec_IsAToolError_AndTheServerKeepsServing()
    {
        using var world = new ServiceWorld();
        world.Write("empty.md", "");
        await using var session = await McpTestSession.StartAsync(world);

        var missing = await session.CallAsync("generate", new { spec = "missing.md", provider = "mock" });
        var empty = await session.CallAsync("generate", new { spec = "empty.md", provider = "mock" });
        var wrongType = await session.CallAsync("generate", new { spec = "spec.md", dry_run = "yes", provider = "mock" });
        var unknown = await session.CallAsync("no_such_tool");

        foreach (var failed in new[] { missing, empty, wrongType, unknown })
        {
            Assert.True(failed.IsError);
            Assert.Equal("bad_input", failed.StructuredContent!.Value.GetProperty("error").GetProperty("kind").GetString());
        }
        var models = await session.CallAsync("models", new { provider = "claude" });
        Assert.NotEqual(true, models.IsError);
        Assert.NotEmpty(models.StructuredContent!.Value.GetProperty("models").EnumerateArray());
    }

    [Fact]
    public async Task ConcurrentCalls_AllAnswer_EachWithItsOwnResult()
    {
        using var world = new ServiceWorld();
        await using var session = await McpTestSession.StartAsync(world);

        var calls = await Task.WhenAll(
            session.CallAsync("generate", new { spec = "spec.md", @out = "out", provider = "mock" }),
            session.CallAsync("generate", new { spec = "spec.md", @out = "out2", provider = "mock" }),
            session.CallAsync("context", new { spec = "spec.md", provider = "mock" }),
            session.CallAsync("generate", new { spec = "../escape.md", provider = "mock" }),
            session.CallAsync("models"));

        Assert.Equal([null, null, null, true, null], calls.Select(c => c.IsError));
        var ids = calls.Take(2).Select(c => c.StructuredContent!.Value.GetProperty("dry_run_id").GetString()).ToList();
        Assert.NotEqual(ids[0], ids[1]);
        Assert.EndsWith("out2", calls[1].StructuredContent!.Value.GetProperty("output_root").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_CountsThisProjectsCalls()
    {
        using var world = new ServiceWorld();
        await using var session = await McpTestSession.StartAsync(world);
        await session.CallAsync("generate", new { spec = "spec.md", @out = "out", provider = "mock" });

        var usage = await session.CallAsync("usage", new { by = "provider" });

        Assert.NotEqual(true, usage.IsError);
        var report = usage.StructuredContent!.Value;
        Assert.Equal(1, report.GetProperty("total").GetProperty("requests").GetInt64());
        Assert.Equal("mock", report.GetProperty("groups")[0].GetProperty("key").GetString());
    }

    [Fact]
    public async Task Resources_ListTheSpecs_AndTheLastResult_AndPromptsGiveTheTemplates()
    {
        using var world = new ServiceWorld();
        await using var session = await McpTestSession.StartAsync(world);
        await session.CallAsync("models");

        var resources = await session.Client.ListResourcesAsync();
        var spec = await session.Client.ReadResourceAsync("specsynth://specs/spec.md");
        var last = await session.Client.ReadResourceAsync("specsynth://last-result");
        var prompts = await session.Client.ListPromptsAsync();
        var generate = await session.Client.GetPromptAsync("generate");

        Assert.Contains(resources, r => r.Uri == "specsynth://specs/spec.md");
        Assert.Equal(File.ReadAllText(world.SpecPath), Assert.IsType<TextResourceContents>(Assert.Single(spec.Contents)).Text);
        Assert.Contains("\"models\"", Assert.IsType<TextResourceContents>(Assert.Single(last.Contents)).Text, StringComparison.Ordinal);
        Assert.Contains(prompts, p => p.Name == "generate");
        Assert.False(string.IsNullOrWhiteSpace(Assert.IsType<TextContentBlock>(Assert.Single(generate.Messages).Content).Text));
        await Assert.ThrowsAsync<McpProtocolException>(() => session.Client.ReadResourceAsync("specsynth://specs/../../etc/passwd").AsTask());
    }

    /// <summary>Reports on the calling thread (not a captured context), so the notifications are in the queue when the call returns.</summary>
    private sealed class SyncProgress(Action<ProgressNotificationValue> report) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => report(value);
    }
}
