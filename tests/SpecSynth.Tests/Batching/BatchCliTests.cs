using System.Text.Json;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Batching;

/// <summary><c>specsynth generate --batch</c> and <c>specsynth batch list|status|resume|cancel</c>, in-process, against
/// the fake Anthropic batch server.</summary>
public sealed class BatchCliTests
{
    [Fact]
    public async Task GenerateBatch_Json_ThenListStatusResume()
    {
        await using var server = await FakeProviderServer.StartAsync();
        var fake = new AnthropicBatchFake(server) { Answer = (_, p) => AnthropicBatchFake.Succeeded(BatchWorld.Code(BatchWorld.Part(p.GetRawText())!)) };
        using var world = new BatchWorld(server);
        var cli = world.World.Cli();

        var run = await cli.RunAsync("generate", "alpha.md", "beta.md", "--batch", "--provider", "claude", "--out", "out", "--repair-rounds", "0", "--json");

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(2, json.RootElement.GetProperty("succeeded").GetInt32());
        var batch = Assert.Single(json.RootElement.GetProperty("batches").EnumerateArray().ToList());
        var id = batch.GetProperty("id").GetString()!;
        Assert.All(batch.GetProperty("specs").EnumerateArray(), s => Assert.Equal("written", s.GetProperty("state").GetString()));
        Assert.True(world.Written("Alpha") && world.Written("Beta"));
        Assert.Equal(1, fake.Creates);

        var list = await cli.RunAsync("batch", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(id, list.Out, StringComparison.Ordinal);
        Assert.Contains("2/2 written", list.Out, StringComparison.Ordinal);

        var status = await cli.RunAsync("batch", "status", id, "--json");
        Assert.Equal(0, status.ExitCode);
        Assert.Equal(batch.GetProperty("remote_id").GetString(), JsonDocument.Parse(status.Out).RootElement.GetProperty("remote_id").GetString());

        var resume = await cli.RunAsync("batch", "resume", id, "--json");
        Assert.True(resume.ExitCode == 0, resume.Error);
        Assert.Empty(JsonDocument.Parse(resume.Out).RootElement.GetProperty("results").EnumerateArray());
        Assert.Equal(1, fake.Creates);

        var unknown = await cli.RunAsync("batch", "status", "b-nope");
        Assert.Equal(2, unknown.ExitCode);
    }

    [Fact]
    public async Task BatchKeys_AreValidated_AndShownByConfigShow()
    {
        await using var server = await FakeProviderServer.StartAsync();
        using var world = new BatchWorld(server);
        var cli = world.World.Cli();
        world.World.Write("specsynth.toml", "[batch]\nenabled = true\nmin_specs = 3\npoll_seconds = 0.5\n");

        var show = await cli.RunAsync("config", "show");
        var json = await cli.RunAsync("config", "show", "--json");
        world.World.Write("specsynth.toml", "[batch]\nmin_specs = 0\n");
        var bad = await cli.RunAsync("config", "show");

        Assert.Contains("[batch]\nenabled = true\nmin_specs = 3\npoll_seconds = 0.5", show.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(3, JsonDocument.Parse(json.Out).RootElement.GetProperty("batch").GetProperty("min_specs").GetInt32());
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("batch.min_specs", bad.Error, StringComparison.Ordinal);
    }
}
