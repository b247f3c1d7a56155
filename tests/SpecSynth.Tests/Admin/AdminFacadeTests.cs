using System.Text.Json;
using SpecSynth.History;
using SpecSynth.Usage;

namespace SpecSynth.Tests.Admin;

/// <summary>The public admin facades a host uses like the CLI does: configuration, history, response cache, usage.</summary>
public sealed class AdminFacadeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private Func<string, string?> Env(string? key = null) => name => name switch
    {
        "SPECSYNTH_HOME" => _dir.Combine("state"),
        "ANTHROPIC_API_KEY" => key,
        _ => null,
    };

    [Fact]
    public void Show_ReportsTheProjectFileAndWhetherAKeyIsSet_NeverTheKey()
    {
        _dir.Write("project/specsynth.toml", "[llm]\nprovider = \"openai\"\nfallback = [\"claude\"]\n");

        var report = SpecSynthConfiguration.Show(_dir.Combine("project"), Env("sk-ant-secret-value-1234567890"));

        Assert.Equal(["openai", "claude"], report.Providers);
        Assert.Contains(report.Sources, s => s.EndsWith("specsynth.toml", StringComparison.Ordinal));
        Assert.Equal(_dir.Combine("state"), report.StateDir);
        Assert.Equal("set (hidden)", report.Llm["claude"].ApiKeyEnv["ANTHROPIC_API_KEY"]);
        Assert.DoesNotContain("sk-ant-secret", JsonSerializer.Serialize(report), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidProjectFile_IsInvalidInputNamingTheKey()
    {
        _dir.Write("project/specsynth.toml", "[llm]\nprovder = \"openai\"\n");

        var ex = Assert.Throws<SpecSynthException>(() => SpecSynthConfiguration.Load(_dir.Combine("project"), Env()));

        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Contains("provder", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void History_ListsAndClearsAProjectsConversations_AndReadingCreatesNoDatabase()
    {
        var history = new ConversationHistory(TimeProvider.System, Env());
        var project = Directory.CreateDirectory(_dir.Combine("project")).FullName;

        Assert.Empty(history.List(project).Conversations);
        Assert.False(File.Exists(history.DatabasePath));

        var store = new ConversationStore(history.DatabasePath, TimeProvider.System);
        var started = store.Start(history.List(project).Project, "spec.md", "Counter", _dir.Combine("out"));
        store.Append(started.Id, [new ConversationTurn(TurnRole.User, "make it count")]);

        var listed = history.List(project, Path.Combine(project, "spec.md"));
        Assert.Equal("spec.md", listed.Spec);
        var conversation = Assert.Single(listed.Conversations);
        Assert.Equal("make it count", ConversationHistory.TextOf(Assert.Single(history.Get(conversation.Id)!.Turns)));

        Assert.Equal(1, history.Clear(project).Deleted);
        Assert.Empty(history.List(project).Conversations);
    }

    [Fact]
    public async Task ResponseCache_StatsAndClear_OnAnEmptyLocalCache()
    {
        using var cache = ResponseCacheAdmin.Open(SpecSynthConfiguration.Load(_dir.Path, Env()), TimeProvider.System, Env());

        var stats = await cache.StatsAsync();
        var cleared = await cache.ClearAsync();

        Assert.Equal("sqlite", stats.Backend);
        Assert.Equal(0, stats.Entries);
        Assert.Equal(new CacheCleared(0, "sqlite", stats.Location), cleared);
        Assert.StartsWith(_dir.Combine("state"), stats.Location, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_ParseSinceAndAnEmptyLedger()
    {
        var now = new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now);

        Assert.Equal(now.AddDays(-7), UsageReport.ParseSince("7d", clock));
        Assert.Equal(ErrorKind.InvalidInput, Assert.Throws<SpecSynthException>(() => UsageReport.ParseSince("last week", clock)).Kind);
        Assert.Equal(Path.Combine(_dir.Combine("state"), "usage.db"), UsageReport.LedgerPath(Env()));
        var report = UsageReport.Query(by: UsageGrouping.Provider, environment: Env());
        Assert.Empty(report.Groups);
        Assert.Equal(0, report.Total.Requests);
    }
}
