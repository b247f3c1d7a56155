using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SpecSynth.Caching;
using SpecSynth.Tests.Fakes;
using SpecSynth.Tests.Service;
using SpecSynth.Usage;

namespace SpecSynth.Tests.Batching;

/// <summary><c>generate --batch</c> through the service against fake Anthropic and OpenAI batch servers speaking the
/// documented wire format: one batch, results matched by custom_id (they come back reversed), per-spec errors, polls that
/// fail and are asked again, resume without a second batch, cached specs not submitted.</summary>
public sealed class BatchGenerateTests
{
    [Fact]
    public async Task Claude_OneBatch_ResultsMatchedByCustomId_ErrorsPerSpec_HalfPriceInTheLedger()
    {
        await using var server = await FakeProviderServer.StartAsync();
        var fake = new AnthropicBatchFake(server)
        {
            Answer = (_, p) => BatchWorld.Part(p.GetRawText()) switch
            {
                "Alpha" => AnthropicBatchFake.Succeeded(BatchWorld.Code("Alpha")),
                "Beta" => AnthropicBatchFake.Errored("invalid_request_error", "max_tokens: 999999 > 64000, the maximum"),
                _ => AnthropicBatchFake.Expired(),
            },
        };
        fake.FailNextPolls(503, 429);
        using var world = new BatchWorld(server);
        await using var services = world.Services();
        var recorder = new EventRecorder();

        var all = await services.GetRequiredService<ISpecSynthesizer>().GenerateAllAsync(new GenerateAllRequest
        {
            Specs = [BatchWorld.Spec("Alpha"), BatchWorld.Spec("Beta"), BatchWorld.Spec("Gamma")],
            Options = BatchWorld.Options("claude", recorder),
            Batch = true,
        });

        Assert.Equal(1, fake.Creates);
        Assert.Equal(3, fake.Submitted.Count);
        Assert.DoesNotContain(server.Requests, r => r.Path == "/v1/messages");
        Assert.All(fake.Submitted, s => Assert.Matches("^[a-zA-Z0-9_-]{1,64}$", s.CustomId));
        Assert.All(fake.Submitted, s => Assert.False(s.Params.TryGetProperty("stream", out _)));
        Assert.Equal("sk-ant-api03-SECRET-batch-7f3a9c1d", server.Requests.First(r => r.Path == "/v1/messages/batches").Header("x-api-key"));
        Assert.Equal((1, 2), (all.Succeeded, all.Failed));
        Assert.True(world.Written("Alpha"));
        Assert.False(world.Written("Beta"));
        Assert.Contains("max_tokens: 999999 > 64000", all.Failures[1]!.Message, StringComparison.Ordinal);
        Assert.Contains("expired", all.Failures[2]!.Message, StringComparison.Ordinal);
        var batch = Assert.Single(all.Batches!);
        Assert.Equal("claude", batch.Provider);
        Assert.StartsWith("msgbatch_", batch.RemoteId, StringComparison.Ordinal);
        Assert.Equal(["written", "errored", "expired"], batch.Specs.Select(s => s.State)); // in spec order, whatever the arrival order
        Assert.Contains(recorder.Events.OfType<BatchEvent>(), e => e.Status == "ended");
        // The two failed polls were asked again; the batched reply is in the ledger at half price, apart from normal calls.
        Assert.True(server.Requests.Count(r => r.Method == "GET" && r.Path.StartsWith("/v1/messages/batches/msgbatch_", StringComparison.Ordinal)
            && !r.Path.EndsWith("/results", StringComparison.Ordinal)) >= 4);
        var report = UsageReport.Query(null, UsageGrouping.Operation, null, k => world.World.Env.TryGetValue(k, out var v) ? v : null);
        var batched = Assert.Single(report.Groups, g => g.Key == "generate-batch");
        Assert.Equal(1, batched.Requests);
        Assert.Equal(all.Results[0]!.CostUsd, Math.Round(batched.CostUsd, 6));
        Assert.True(batched.CostUsd > 0);

    }

    [Fact]
    public async Task CachedSpecs_AreNotSubmitted()
    {
        await using var server = await FakeProviderServer.StartAsync();
        var fake = new AnthropicBatchFake(server)
        {
            Answer = (_, p) => BatchWorld.Part(p.GetRawText()) == "Alpha"
                ? AnthropicBatchFake.Succeeded(BatchWorld.Code("Alpha"))
                : AnthropicBatchFake.Errored("invalid_request_error", "messages: bad"),
        };
        using var world = new BatchWorld(server);
        await using var services = world.Services();
        var request = new GenerateAllRequest
        {
            Specs = [BatchWorld.Spec("Alpha"), BatchWorld.Spec("Beta")],
            Options = BatchWorld.Options("claude") with { DryRun = true },
            Batch = true,
        };

        var first = await services.GetRequiredService<ISpecSynthesizer>().GenerateAllAsync(request);
        var second = await services.GetRequiredService<ISpecSynthesizer>().GenerateAllAsync(request);

        Assert.False(first.Results[0]!.CacheHit);
        Assert.True(second.Results[0]!.CacheHit);
        Assert.Equal(2, fake.Creates);
        Assert.Equal(3, fake.Submitted.Count);
        Assert.Equal(["Alpha", "Beta", "Beta"], fake.Submitted.Select(s => BatchWorld.Part(s.Params.GetRawText())));
    }

    [Fact]
    public async Task Claude_BatchedRequest_IsTheNormalRequest()
    {
        await using var server = await FakeProviderServer.StartAsync();
        using var world = new BatchWorld(server);
        await using var services = world.Services();
        var synth = services.GetRequiredService<ISpecSynthesizer>();
        server.Enqueue(AnthropicWire.Json(BatchWorld.Code("Alpha")));
        await synth.GenerateAsync(BatchWorld.Options("claude") with { SpecPath = "alpha.md", DryRun = true, Stream = false, Cache = CacheMode.Off });
        var normal = JsonNode.Parse(server.Requests.Single(r => r.Path == "/v1/messages").Body)!.AsObject();
        normal.Remove("stream");

        var fake = new AnthropicBatchFake(server) { Answer = (_, _) => AnthropicBatchFake.Succeeded(BatchWorld.Code("Alpha")) };
        var all = await synth.GenerateAllAsync(new GenerateAllRequest
        {
            Specs = [BatchWorld.Spec("Alpha")],
            Options = BatchWorld.Options("claude") with { DryRun = true, Cache = CacheMode.Off },
            Batch = true,
        });

        Assert.Equal(1, all.Succeeded);
        var batched = JsonNode.Parse(Assert.Single(fake.Submitted).Params.GetRawText());
        Assert.True(JsonNode.DeepEquals(normal, batched), $"normal:\n{normal}\nbatched:\n{batched}");
    }

    [Fact]
    public async Task Interrupted_ThenResumed_CollectsTheSameBatch_EachSpecWrittenOnce()
    {
        await using var server = await FakeProviderServer.StartAsync();
        var fake = new AnthropicBatchFake(server)
        {
            NeverEnd = true,
            Answer = (_, p) => AnthropicBatchFake.Succeeded(BatchWorld.Code(BatchWorld.Part(p.GetRawText())!)),
        };
        using var world = new BatchWorld(server);
        await using var services = world.Services();
        var synth = services.GetRequiredService<ISpecSynthesizer>();
        using var cts = new CancellationTokenSource();
        var cancelOnPoll = new Callback(e =>
        {
            if (e is BatchEvent { Status: "in_progress" })
            {
                cts.Cancel();
            }
        });

        var interrupted = await Assert.ThrowsAsync<BatchInterruptedException>(() => synth.GenerateAllAsync(new GenerateAllRequest
        {
            Specs = [BatchWorld.Spec("Alpha"), BatchWorld.Spec("Beta")],
            Options = BatchWorld.Options("claude", cancelOnPoll),
            Batch = true,
        }, cts.Token));
        var id = Assert.Single(interrupted.BatchIds);
        Assert.Contains("specsynth batch resume " + id, interrupted.Message, StringComparison.Ordinal);
        Assert.False(world.Written("Alpha"));
        Assert.Equal("in_progress", BatchAdmin.Get(id, k => world.World.Env.TryGetValue(k, out var v) ? v : null)!.Status);

        // A crash right after the create call: the provider's id was never stored. Resume finds the batch, not a new one.
        world.Sql("UPDATE batches SET remote_id = NULL, status = 'submitting'; UPDATE batch_requests SET state = 'planned'");
        fake.NeverEnd = false;
        var resumed = await synth.GenerateAllAsync(new GenerateAllRequest { Specs = [], ResumeBatch = id });

        Assert.Equal(1, fake.Creates);
        Assert.Equal(2, resumed.Succeeded);
        Assert.True(world.Written("Alpha") && world.Written("Beta"));
        Assert.All(Assert.Single(resumed.Batches!).Specs, s => Assert.Equal("written", s.State));
        var journalRuns = resumed.Results.Select(r => r!.JournalRun).ToList();

        // Resuming again writes nothing and sends nothing.
        var requests = server.Requests.Count;
        var nothing = await synth.GenerateAllAsync(new GenerateAllRequest { Specs = [], ResumeBatch = id });
        Assert.Empty(nothing.Results);
        Assert.Equal(requests, server.Requests.Count);
        Assert.All(journalRuns, Assert.NotNull);
    }

    [Fact]
    public async Task OpenAI_FileUploadBatchAndOutputAndErrorFiles_EnabledByConfig()
    {
        await using var server = await FakeProviderServer.StartAsync();
        var fake = new OpenAIBatchFake(server)
        {
            Answer = (_, body) => BatchWorld.Part(body.GetRawText()) switch
            {
                "Alpha" => OpenAIBatchFake.Succeeded(BatchWorld.Code("Alpha")),
                "Beta" => OpenAIBatchFake.Failed(400, "Invalid 'max_completion_tokens': too large"),
                _ => OpenAIBatchFake.NoAnswer("batch_expired", "This request could not be executed before the completion window expired."),
            },
        };
        using var world = new BatchWorld(server);
        world.World.Write("specsynth.toml", "[batch]\nenabled = true\nmin_specs = 3\npoll_seconds = 0.02\n");
        await using var services = world.Services();

        var all = await services.GetRequiredService<ISpecSynthesizer>().GenerateAllAsync(new GenerateAllRequest
        {
            Specs = [BatchWorld.Spec("Alpha"), BatchWorld.Spec("Beta"), BatchWorld.Spec("Gamma")],
            Options = BatchWorld.Options("openai"),
        });

        Assert.Equal(1, fake.Creates);
        Assert.DoesNotContain(server.Requests, r => r.Path == "/v1/chat/completions");
        Assert.All(fake.Lines, l => Assert.Equal("/v1/chat/completions", l.GetProperty("url").GetString()));
        Assert.True(all.Succeeded == 1, string.Join("\n", all.Failures.Select(f => f?.Message)));
        Assert.True(world.Written("Alpha"));
        Assert.Contains("too large", all.Failures[1]!.Message, StringComparison.Ordinal);
        Assert.Contains("completion window expired", all.Failures[2]!.Message, StringComparison.Ordinal);
        Assert.Equal(["written", "errored", "expired"], Assert.Single(all.Batches!).Specs.Select(s => s.State));
    }

    [Fact]
    public async Task BudgetTooSmall_ExitSixPerSpec_NothingSubmitted()
    {
        await using var server = await FakeProviderServer.StartAsync();
        var fake = new AnthropicBatchFake(server);
        using var world = new BatchWorld(server);
        await using var services = world.Services();

        var all = await services.GetRequiredService<ISpecSynthesizer>().GenerateAllAsync(new GenerateAllRequest
        {
            Specs = [BatchWorld.Spec("Alpha"), BatchWorld.Spec("Beta")],
            Options = BatchWorld.Options("claude") with { MaxCost = 0.0001m },
            Batch = true,
        });

        Assert.All(all.Failures, f => Assert.Equal(ErrorKind.BudgetExceeded, f!.Kind));
        Assert.Equal(0, fake.Creates);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Mock_HasNoBatchApi_OneWarning_RunsNormally()
    {
        await using var server = await FakeProviderServer.StartAsync();
        using var world = new BatchWorld(server);
        await using var services = world.Services();
        var recorder = new EventRecorder();

        var all = await services.GetRequiredService<ISpecSynthesizer>().GenerateAllAsync(new GenerateAllRequest
        {
            Specs = [BatchWorld.Spec("Alpha"), BatchWorld.Spec("Beta")],
            Options = BatchWorld.Options("mock", recorder),
            Batch = true,
        });

        Assert.Null(all.Batches);
        Assert.Equal(2, all.Results.Count(r => r is not null) + all.Failures.Count(f => f is not null));
        Assert.Single(recorder.Events.OfType<WarningEvent>(), w => w.Message.Contains("no batch API", StringComparison.Ordinal));
        Assert.Empty(server.Requests);
    }

    private sealed class Callback(Action<SpecSynthEvent> action) : IProgress<SpecSynthEvent>
    {
        public void Report(SpecSynthEvent value) => action(value);
    }
}
