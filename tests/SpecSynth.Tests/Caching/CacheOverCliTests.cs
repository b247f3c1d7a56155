using System.Text.Json;
using SpecSynth.Tests.Cli.Providers;

namespace SpecSynth.Tests.Caching;

/// <summary>The response cache end to end: the CLI against the fake Anthropic server, with a private state folder.</summary>
public sealed class CacheOverCliTests
{
    // Most tests write outside the project; writing into it is covered by its own tests below (the spec's own
    // unchanged output is left out of the next run's context).
    private static string[] Generate(CliHarness h, bool stream, params string[] extra) =>
        ["generate", h.SpecPath, "--out", OutDir(h), "--json", .. stream ? Array.Empty<string>() : ["--no-stream"], .. extra];

    private static string OutDir(CliHarness h) => Path.Combine(h.Root, "generated");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Rerunning_generate_unchanged_makes_no_provider_request(bool stream)
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream));

        var first = await h.RunAsync(Generate(h, stream));
        var second = await h.RunAsync(Generate(h, stream));

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Single(h.ChatRequests);
        using var a = JsonDocument.Parse(first.Out);
        using var b = JsonDocument.Parse(second.Out);
        Assert.False(a.RootElement.GetProperty("cache_hit").GetBoolean());
        Assert.True(b.RootElement.GetProperty("cache_hit").GetBoolean());
        Assert.Equal(0m, b.RootElement.GetProperty("cost_usd").GetDecimal());
        Assert.True(a.RootElement.GetProperty("cost_usd").GetDecimal() > 0m);
        Assert.Equal("claude", b.RootElement.GetProperty("provider").GetString());
        Assert.Equal(a.RootElement.GetProperty("usage").GetRawText(), b.RootElement.GetProperty("usage").GetRawText());
        Assert.Equal(ModelAnswers.GreeterFile, File.ReadAllText(Path.Combine(OutDir(h), "src", "Greeter.cs")));
        Assert.Equal(ModelAnswers.TestsFile, File.ReadAllText(Path.Combine(OutDir(h), "tests", "GreeterTests.cs")));
    }

    [Fact]
    public async Task Rerunning_generate_into_the_project_itself_makes_no_provider_request()
    {
        // The files the first run writes land in the project; the second run leaves them out of the context (they
        // are the spec's own unchanged output), so its prompt is the first one's and the cache answers it.
        await using var h = await CliHarness.StartAsync("claude");
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, true));
        string[] args = ["generate", h.SpecPath, "--project", h.Project, "--out", h.Project, "--json"];

        var first = await h.RunAsync(args);
        var second = await h.RunAsync(args);
        var third = await h.RunAsync(args);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.True(third.ExitCode == 0, third.Error);
        Assert.True(File.Exists(Path.Combine(h.Project, "src", "Greeter.cs")));
        Assert.Single(h.ChatRequests);
        using var b = JsonDocument.Parse(third.Out);
        Assert.True(b.RootElement.GetProperty("cache_hit").GetBoolean());
    }

    [Fact]
    public async Task A_generated_file_edited_by_hand_goes_back_into_the_context()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, true), h.Case.Reply(ModelAnswers.TwoFiles, true));
        string[] args = ["generate", h.SpecPath, "--project", h.Project, "--out", h.Project, "--json"];

        Assert.Equal(0, (await h.RunAsync(args)).ExitCode);
        File.AppendAllText(Path.Combine(h.Project, "src", "Greeter.cs"), "\n// edited by hand: keep the greeting short\n");
        var second = await h.RunAsync(args);

        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Equal(2, h.ChatRequests.Count);
        Assert.Contains("edited by hand", h.ChatRequests[1].Body, StringComparison.Ordinal);
        Assert.DoesNotContain("edited by hand", h.ChatRequests[0].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_spec_or_model_asks_the_provider_again()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, true), h.Case.Reply(ModelAnswers.TwoFiles, true), h.Case.Reply(ModelAnswers.TwoFiles, true));

        Assert.Equal(0, (await h.RunAsync(Generate(h, true))).ExitCode);
        File.AppendAllText(h.SpecPath, "\n- The greeting MUST end with an exclamation mark.\n");
        Assert.Equal(0, (await h.RunAsync(Generate(h, true))).ExitCode);
        Assert.Equal(0, (await h.RunAsync(Generate(h, true, "--model", "claude-haiku-4-5"))).ExitCode);
        Assert.Equal(3, h.ChatRequests.Count);
        Assert.Equal(0, (await h.RunAsync(Generate(h, true, "--model", "claude-haiku-4-5"))).ExitCode);
        Assert.Equal(3, h.ChatRequests.Count);
    }

    [Fact]
    public async Task No_cache_neither_reads_nor_writes_and_refresh_asks_again_then_caches()
    {
        await using var h = await CliHarness.StartAsync("claude");
        for (var i = 0; i < 4; i++)
        {
            h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, true));
        }

        var off = await h.RunAsync(Generate(h, true, "--no-cache"));
        var stillOff = await h.RunAsync(Generate(h, true, "--no-cache"));
        Assert.Equal(2, h.ChatRequests.Count);
        var miss = await h.RunAsync(Generate(h, true));
        Assert.Equal(3, h.ChatRequests.Count);
        var refreshed = await h.RunAsync(Generate(h, true, "--refresh"));
        Assert.Equal(4, h.ChatRequests.Count);
        var hit = await h.RunAsync(Generate(h, true));
        Assert.Equal(4, h.ChatRequests.Count);

        foreach (var (result, cached) in new[] { (off, false), (stillOff, false), (miss, false), (refreshed, false), (hit, true) })
        {
            Assert.True(result.ExitCode == 0, result.Error);
            using var doc = JsonDocument.Parse(result.Out);
            Assert.Equal(cached, doc.RootElement.GetProperty("cache_hit").GetBoolean());
        }
    }

    [Fact]
    public async Task No_cache_and_refresh_together_are_bad_input()
    {
        await using var h = await CliHarness.StartAsync("claude");
        var result = await h.RunAsync(Generate(h, true, "--no-cache", "--refresh"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--no-cache and --refresh", result.Error, StringComparison.Ordinal);
        Assert.Empty(h.ChatRequests);
    }

    [Fact]
    public async Task Explain_and_review_are_cached_too()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.Explanation, true), h.Case.Reply(ModelAnswers.Review, true));

        var explain1 = await h.RunAsync("explain", h.CodePath);
        var explain2 = await h.RunAsync("explain", h.CodePath);
        var review1 = await h.RunAsync("review", h.CodePath, "--requirements", h.RequirementsPath);
        var review2 = await h.RunAsync("review", h.CodePath, "--requirements", h.RequirementsPath);

        foreach (var result in new[] { explain1, explain2, review1, review2 })
        {
            Assert.True(result.ExitCode == 0, result.Error);
        }
        Assert.Equal(explain1.Out, explain2.Out);
        Assert.Equal(review1.Out, review2.Out);
        Assert.Equal(2, h.ChatRequests.Count);
        var explainJson = await h.RunAsync("explain", h.CodePath, "--json");
        var reviewJson = await h.RunAsync("review", h.CodePath, "--requirements", h.RequirementsPath, "--json");
        foreach (var result in new[] { explainJson, reviewJson })
        {
            using var doc = JsonDocument.Parse(result.Out);
            Assert.True(doc.RootElement.GetProperty("cache_hit").GetBoolean());
            Assert.Equal(0m, doc.RootElement.GetProperty("cost_usd").GetDecimal());
        }
        Assert.Equal(2, h.ChatRequests.Count);
        var refreshed = await h.RunAsync("explain", h.CodePath, "--refresh");
        Assert.NotEqual(0, refreshed.ExitCode);
        Assert.Equal(3, h.ChatRequests.Count);
    }

    [Fact]
    public async Task Cache_disabled_in_config_asks_every_time()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Configure("[retry]\nmax_attempts = 1\ncontinuation_rounds = 0\n[cache]\nenabled = false\n");
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, true), h.Case.Reply(ModelAnswers.TwoFiles, true));

        Assert.Equal(0, (await h.RunAsync(Generate(h, true))).ExitCode);
        Assert.Equal(0, (await h.RunAsync(Generate(h, true))).ExitCode);
        Assert.Equal(2, h.ChatRequests.Count);
        Assert.False(File.Exists(Path.Combine(h.Home, "cache", "responses.db")));
    }

    [Theory]
    [InlineData("[cache]\nttl_hours = 0\n", "cache.ttl_hours")]
    [InlineData("[cache]\nenabled = \"yes\"\n", "cache.enabled")]
    [InlineData("[cache]\nurl = \"http://example.com\"\n", "cache.url")]
    [InlineData("[cache]\nsize = 3\n", "unknown key 'cache.size'")]
    [InlineData("[shared]\nredis = \"redis://:s3cret@host:6379/99\"\n", "shared.redis")]
    public async Task Bad_cache_settings_are_reported_with_their_line(string toml, string expected)
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Configure(toml);
        var result = await h.RunAsync(Generate(h, true));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Contains("specsynth.toml:", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", result.Error, StringComparison.Ordinal);
        Assert.Empty(h.ChatRequests);
    }

    [Fact]
    public async Task Cache_stats_and_clear_report_entries_bytes_hits_and_misses()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, true), h.Case.Reply(ModelAnswers.TwoFiles, true));
        Assert.Equal(0, (await h.RunAsync(Generate(h, true))).ExitCode);
        Assert.Equal(0, (await h.RunAsync(Generate(h, true))).ExitCode);

        var stats = await h.Cli.RunAsync("cache", "stats", "--json");
        Assert.True(stats.ExitCode == 0, stats.Error);
        using (var doc = JsonDocument.Parse(stats.Out))
        {
            var root = doc.RootElement;
            Assert.Equal("sqlite", root.GetProperty("backend").GetString());
            Assert.Equal(Path.Combine(h.Home, "cache", "responses.db"), root.GetProperty("location").GetString());
            Assert.Equal(1, root.GetProperty("entries").GetInt64());
            Assert.True(root.GetProperty("bytes").GetInt64() > ModelAnswers.TwoFiles.Length);
            Assert.Equal(1, root.GetProperty("hits").GetInt64());
            Assert.Equal(1, root.GetProperty("misses").GetInt64());
        }
        var text = await h.Cli.RunAsync("cache", "stats");
        Assert.Contains("entries:  1", text.Out, StringComparison.Ordinal);

        var clear = await h.Cli.RunAsync("cache", "clear", "--json");
        Assert.True(clear.ExitCode == 0, clear.Error);
        using (var doc = JsonDocument.Parse(clear.Out))
        {
            Assert.Equal(1, doc.RootElement.GetProperty("removed").GetInt64());
        }
        using (var doc = JsonDocument.Parse((await h.Cli.RunAsync("cache", "stats", "--json")).Out))
        {
            Assert.Equal(0, doc.RootElement.GetProperty("entries").GetInt64());
            Assert.Equal(0, doc.RootElement.GetProperty("hits").GetInt64());
        }
        Assert.Equal(0, (await h.RunAsync(Generate(h, true))).ExitCode);
        Assert.Equal(2, h.ChatRequests.Count);
    }

    [Fact]
    public async Task An_unusable_cache_file_gives_a_warning_and_an_uncached_run()
    {
        await using var h = await CliHarness.StartAsync("claude");
        Directory.CreateDirectory(Path.Combine(h.Home, "cache"));
        File.WriteAllText(Path.Combine(h.Home, "cache", "responses.db"), new string('x', 4096));
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, true), h.Case.Reply(ModelAnswers.TwoFiles, true));

        var first = await h.RunAsync(Generate(h, true));
        var second = await h.RunAsync(Generate(h, true));

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("warning: response cache disabled for this run", first.Error, StringComparison.Ordinal);
        Assert.Equal(2, h.ChatRequests.Count);
    }
}
