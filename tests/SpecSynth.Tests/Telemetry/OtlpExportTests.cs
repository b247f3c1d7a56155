using SpecSynth.Tests.Cli;
using SpecSynth.Tests.Cli.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Telemetry;

/// <summary>
/// The CLI's OpenTelemetry export, end to end: generate over the fake Anthropic server with the standard OTEL variables
/// pointing at an in-process OTLP collector, whose requests are decoded from protobuf. Each test finds its own run by a
/// spec file name of its own (other tests' runs in this process may be exported too while its exporter is up).
/// </summary>
public sealed class OtlpExportTests
{
    private const string Phrase = "zebra-quartz-4711";
    private const string GitHubToken = "ghp_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c";

    private static (string Path, string Label) Spec(CliHarness h)
    {
        var label = $"otel-{Guid.NewGuid():N}.md";
        var path = Path.Combine(h.Project, label);
        File.WriteAllText(path, ModelAnswers.Spec + $"\n- **FR-003**: The greeting mentions {Phrase}; the CI token is {GitHubToken}.\n");
        return (path, label);
    }

    private static void PointAt(CliHarness h, Uri endpoint, string? protocol = null)
    {
        h.Cli.Env["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint.ToString();
        if (protocol is not null)
        {
            h.Cli.Env["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol;
        }
        h.Cli.Env["OTEL_SERVICE_NAME"] = "specsynth-test";
        h.Cli.Env["OTEL_RESOURCE_ATTRIBUTES"] = "deployment.environment=test,team=code%20gen";
        h.Cli.Env["OTEL_EXPORTER_OTLP_HEADERS"] = "x-otlp-team=specsynth";
    }

    /// <summary>The spans of the trace that generated <paramref name="label"/>.</summary>
    private static List<OtlpSpan> RunOf(IReadOnlyList<OtlpSpan> spans, string label)
    {
        var spec = Assert.Single(spans, s => s.Name == "specsynth.spec" && s.Text("specsynth.spec") == label);
        return [.. spans.Where(s => s.TraceId == spec.TraceId)];
    }

    private static OtlpSpan Child(List<OtlpSpan> run, OtlpSpan parent, string name) =>
        Assert.Single(run, s => s.Name == name && s.ParentSpanId == parent.SpanId);

    [Fact]
    public async Task Generate_ExportsTheRunsSpanTree_WithGenAiAttributesAndMetrics_AndNoKeyOrPromptText()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        await using var h = await CliHarness.StartAsync("claude");
        var (spec, label) = Spec(h);
        PointAt(h, collector.HttpEndpoint);
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream: true));

        var result = await h.RunAsync("generate", spec, "--out", h.Out, "--verbose");

        Assert.True(result.ExitCode == 0, result.Error);
        var run = RunOf(collector.Spans, label);
        var root = Assert.Single(run, s => s.Name == "specsynth.generate");
        Assert.Equal("", root.ParentSpanId);
        Assert.Equal("SpecSynth", root.Scope);
        Child(run, root, "specsynth.parse_spec");
        Child(run, root, "specsynth.scan");
        var specSpan = Child(run, root, "specsynth.spec");
        Child(run, specSpan, "specsynth.rank");
        Child(run, specSpan, "specsynth.plan");
        Child(run, specSpan, "specsynth.validate");
        Child(run, specSpan, "specsynth.write");
        var attempt = Child(run, specSpan, "specsynth.attempt");
        Assert.Equal("claude", attempt.Text("specsynth.provider"));
        Assert.Equal("1", attempt.Text("specsynth.attempt"));
        var chat = Assert.Single(run, s => s.Name.StartsWith("chat ", StringComparison.Ordinal));
        Assert.Equal(attempt.SpanId, chat.ParentSpanId);
        Assert.Equal("chat", chat.Text("gen_ai.operation.name"));
        Assert.False(string.IsNullOrEmpty(chat.Text("gen_ai.provider.name")));
        Assert.Equal("chat " + chat.Text("gen_ai.request.model"), chat.Name);
        Assert.Equal(h.Case.AnsweringModel, chat.Text("gen_ai.response.model"));
        Assert.Equal("845", chat.Text("gen_ai.usage.output_tokens"));
        Assert.NotNull(chat.Text("gen_ai.usage.input_tokens"));
        Assert.Equal("2048", chat.Text("gen_ai.usage.cache_read.input_tokens"));
        Assert.Equal("4096", chat.Text("gen_ai.usage.cache_creation.input_tokens"));
        Assert.False(string.IsNullOrEmpty(chat.Text("gen_ai.response.finish_reasons")));
        Assert.DoesNotContain("gen_ai.input.messages", chat.Attributes.Keys);
        Assert.DoesNotContain("gen_ai.output.messages", chat.Attributes.Keys);
        // The resource and headers of the standard variables.
        Assert.Equal("specsynth-test", root.Resource["service.name"]);
        Assert.Equal("code gen", root.Resource["team"]);
        Assert.All(collector.Requests, r => Assert.Equal("specsynth", r.Headers["x-otlp-team"]));
        // Metrics: the GenAI histograms and specsynth's own counters.
        Assert.Contains("gen_ai.client.token.usage", collector.MetricNames);
        Assert.Contains("gen_ai.client.operation.duration", collector.MetricNames);
        Assert.Contains("specsynth.requests", collector.MetricNames);
        Assert.Contains("specsynth.cost", collector.MetricNames);
        // Neither the key nor any prompt text left the process through telemetry (or the logs).
        var sent = string.Concat(collector.Requests.Select(r => System.Text.Encoding.UTF8.GetString(r.Body)));
        Assert.DoesNotContain(h.Case.Key!, sent, StringComparison.Ordinal);
        Assert.DoesNotContain(Phrase, sent, StringComparison.Ordinal);
        Assert.DoesNotContain("Greeter", sent, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Case.Key!, result.Error, StringComparison.Ordinal);
        Assert.Contains("debug: SpecSynth.Pipeline: generate request to claude", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IncludeContent_RecordsThePromptAndReply_Redacted()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        await using var h = await CliHarness.StartAsync("claude");
        h.Configure("[retry]\nmax_attempts = 1\ncontinuation_rounds = 0\n\n[telemetry]\ninclude_content = true\n");
        var (spec, label) = Spec(h);
        PointAt(h, collector.HttpEndpoint);
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles + $"\nUse the token {GitHubToken} in CI.\n", stream: true));

        var result = await h.RunAsync("generate", spec, "--out", h.Out);

        Assert.True(result.ExitCode == 0, result.Error);
        var chat = Assert.Single(RunOf(collector.Spans, label), s => s.Name.StartsWith("chat ", StringComparison.Ordinal));
        var input = chat.Text("gen_ai.input.messages")!;
        var output = chat.Text("gen_ai.output.messages")!;
        Assert.Contains(Phrase, input, StringComparison.Ordinal);
        Assert.Contains("[REDACTED]", input, StringComparison.Ordinal);
        Assert.Contains("Greeter", output, StringComparison.Ordinal);
        Assert.Contains("[REDACTED]", output, StringComparison.Ordinal);
        var sent = string.Concat(collector.Requests.Select(r => System.Text.Encoding.UTF8.GetString(r.Body)));
        Assert.DoesNotContain(GitHubToken, sent, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Case.Key!, sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grpc_FromTheTelemetrySection_ExportsSpansAndMetrics()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        await using var h = await CliHarness.StartAsync("claude");
        h.Configure("[retry]\nmax_attempts = 1\ncontinuation_rounds = 0\n\n[telemetry]\n" +
            $"endpoint = \"{collector.GrpcEndpoint}\"\nprotocol = \"grpc\"\nservice_name = \"from-toml\"\n");
        var (spec, label) = Spec(h);
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream: false));

        var result = await h.RunAsync("generate", spec, "--out", h.Out, "--no-stream");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.All(collector.Requests, r => Assert.Contains("/Export", r.Path, StringComparison.Ordinal));
        var run = RunOf(collector.Spans, label);
        var chat = Assert.Single(run, s => s.Name.StartsWith("chat ", StringComparison.Ordinal));
        Assert.Equal("845", chat.Text("gen_ai.usage.output_tokens"));
        Assert.Equal("from-toml", chat.Resource["service.name"]);
        Assert.Contains("gen_ai.client.token.usage", collector.MetricNames);
    }

    [Fact]
    public async Task OtelSdkDisabled_ExportsNothing()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        await using var h = await CliHarness.StartAsync("claude");
        var (spec, _) = Spec(h);
        PointAt(h, collector.HttpEndpoint);
        h.Cli.Env["OTEL_SDK_DISABLED"] = "true";
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream: true));

        var result = await h.RunAsync("generate", spec, "--out", h.Out);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Empty(collector.Requests);
    }

    [Fact]
    public async Task AFailedRun_InARealProcess_IsFlushedBeforeExit_WithTheRunMarkedFailed()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        using var dir = new TempDir();
        var spec = dir.Write("spec.md", ModelAnswers.Spec);
        var env = new Dictionary<string, string>
        {
            ["SPECSYNTH_HOME"] = dir.Combine("home"),
            ["HOME"] = dir.Combine("user"),
            ["ANTHROPIC_API_KEY"] = "",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.HttpEndpoint.ToString(),
        };

        // No key: an auth failure (exit 3) before any request.
        var result = await CliProcess.RunAsync(dir.Path, env, ["generate", spec, "--provider", "claude"]);

        Assert.Equal(3, result.ExitCode);
        var run = Assert.Single(collector.Spans, s => s.Name == "specsynth.generate");
        Assert.Equal(2, run.StatusCode);
        Assert.Equal("Auth", run.Text("error.type"));
    }

    [Fact]
    public async Task CtrlC_InARealProcess_Exits130_AfterFlushingTheInterruptedRunsSpans()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        await using var server = await FakeProviderServer.StartAsync();
        var claude = ProviderCases.Get("claude");
        server.Enqueue(FakeResponse.Hang());
        using var dir = new TempDir();
        dir.Write("project/specsynth.toml", "[retry]\nmax_attempts = 1\n");
        var spec = dir.Write("project/spec.md", ModelAnswers.Spec);
        var env = new Dictionary<string, string>(claude.Env(server.BaseUrl))
        {
            ["SPECSYNTH_HOME"] = dir.Combine("home"),
            ["HOME"] = dir.Combine("user"),
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.HttpEndpoint.ToString(),
        };

        using var cli = CliProcess.Start(dir.Combine("project"), env, ["generate", spec, "--provider", "claude"]);
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!server.Requests.Any(r => r.Path == claude.ChatPath))
        {
            Assert.True(DateTime.UtcNow < deadline && !cli.Process.HasExited, "the CLI never sent its request");
            await Task.Delay(20);
        }
        cli.Signal(RunningCli.SigInt);
        var result = await cli.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 130, $"exit {result.ExitCode}: {result.Error}");
        var spans = collector.Spans;
        var run = Assert.Single(spans, s => s.Name == "specsynth.generate");
        Assert.Equal(2, run.StatusCode);
        var chat = Assert.Single(spans, s => s.Name.StartsWith("chat ", StringComparison.Ordinal));
        Assert.Equal(run.TraceId, chat.TraceId);
        Assert.Contains(spans, s => s.Name == "specsynth.attempt" && s.SpanId == chat.ParentSpanId);
    }
}
