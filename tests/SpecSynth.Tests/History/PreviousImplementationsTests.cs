using SpecSynth.History;

namespace SpecSynth.Tests.History;

public sealed class PreviousImplementationsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TheFilesOfEarlierTurns_AreReadFromDiskNow_MostRecentFirst_SkippingMissingAndEscapingOnes()
    {
        _dir.Write("out/src/A.cs", "class A { /* edited by hand */ }");
        _dir.Write("out/src/B.cs", "class B {}");
        _dir.Write("secret.txt", "outside");
        var now = DateTimeOffset.UnixEpoch;
        var conversation = new Conversation(1, _dir.Path, "a.md", "A", _dir.Combine("out"), now, now,
        [
            new ConversationTurn(TurnRole.Assistant, "r1") { Files = ["src/A.cs", "src/Gone.cs", "../secret.txt"] },
            new ConversationTurn(TurnRole.Assistant, "r2") { Files = ["src/B.cs", "src/A.cs"] },
        ]);

        var files = PreviousImplementations.Read(conversation);

        Assert.Equal(["src/B.cs", "src/A.cs"], files.Select(f => f.Path));
        Assert.Equal("class A { /* edited by hand */ }", files[1].Content);
    }
}
