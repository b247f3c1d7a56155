using System.Text.Json;
using SpecSynth.Tests.Cli.Providers;

namespace SpecSynth.Tests.Caching;

/// <summary>The response cache keeps a reply only once what it produced was accepted: files written (or planned in a dry
/// run), a review parsed. A refused reply is asked for again on the next run, never replayed.</summary>
public sealed class CacheAcceptanceOverCliTests
{
    private const string UnsafeReply = "Here it is.\n\n```csharp\n// filepath: ../../escape.cs\nclass Escape { }\n```\n";

    private static string[] Generate(CliHarness h, bool stream, params string[] extra) =>
        ["generate", h.SpecPath, "--out", Path.Combine(h.Root, "generated"), "--json", .. stream ? Array.Empty<string>() : ["--no-stream"], .. extra];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_reply_refused_as_unsafe_is_not_replayed_by_the_next_run(bool stream)
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Server.Enqueue(h.Case.Reply(UnsafeReply, stream), h.Case.Reply(ModelAnswers.TwoFiles, stream));

        var refused = await h.RunAsync(Generate(h, stream));
        var second = await h.RunAsync(Generate(h, stream));

        Assert.True(refused.ExitCode == 5, refused.Error);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Equal(2, h.ChatRequests.Count);
        using var doc = JsonDocument.Parse(second.Out);
        Assert.False(doc.RootElement.GetProperty("cache_hit").GetBoolean());
        Assert.True(File.Exists(Path.Combine(h.Root, "generated", "src", "Greeter.cs")));
    }

    [Fact]
    public async Task A_reply_whose_files_stay_invalid_is_not_replayed()
    {
        await using var h = await CliHarness.StartAsync("claude");
        const string Broken = "```csharp\n// filepath: src/Broken.cs\npublic class Broken {\n```\n";
        h.Server.Enqueue(h.Case.Reply(Broken, true), h.Case.Reply(ModelAnswers.TwoFiles, true));

        var refused = await h.RunAsync(Generate(h, true, "--repair-rounds", "0"));
        var second = await h.RunAsync(Generate(h, true, "--repair-rounds", "0"));

        Assert.True(refused.ExitCode == 5, refused.Error);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Equal(2, h.ChatRequests.Count);
    }

    [Fact]
    public async Task A_dry_run_accepts_its_plan_so_the_real_run_is_answered_from_the_cache()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, true));

        var dry = await h.RunAsync(Generate(h, true, "--dry-run"));
        var real = await h.RunAsync(Generate(h, true));

        Assert.True(dry.ExitCode == 0, dry.Error);
        Assert.True(real.ExitCode == 0, real.Error);
        Assert.Single(h.ChatRequests);
        using var doc = JsonDocument.Parse(real.Out);
        Assert.True(doc.RootElement.GetProperty("cache_hit").GetBoolean());
    }

    [Fact]
    public async Task An_unreadable_review_is_not_replayed()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Server.Enqueue(h.Case.Reply("I looked at it and it seems fine.", true), h.Case.Reply(ModelAnswers.Review, true));
        string[] review = ["review", h.CodePath, "--requirements", h.RequirementsPath, "--json"];

        var refused = await h.RunAsync(review);
        var second = await h.RunAsync(review);
        var third = await h.RunAsync(review);

        Assert.True(refused.ExitCode == 5, refused.Error);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.True(third.ExitCode == 0, third.Error);
        Assert.Equal(2, h.ChatRequests.Count);
        using var doc = JsonDocument.Parse(third.Out);
        Assert.True(doc.RootElement.GetProperty("cache_hit").GetBoolean());
    }
}
