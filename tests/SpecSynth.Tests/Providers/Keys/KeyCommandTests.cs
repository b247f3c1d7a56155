using Microsoft.Extensions.Time.Testing;
using SpecSynth.Providers.Keys;

namespace SpecSynth.Tests.Providers.Keys;

/// <summary><c>api_key_command</c>: run without a shell, its output cached for the TTL, errors naming the command, never a key.</summary>
public sealed class KeyCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("op read op://dev/anthropic/key", new[] { "op", "read", "op://dev/anthropic/key" })]
    [InlineData("printf '%s\\n' \"two words\"", new[] { "printf", "%s\\n", "two words" })]
    [InlineData("  a\\ b  c ", new[] { "a b", "c" })]
    public void Split_RespectsQuotesAndEscapes(string command, string[] expected) =>
        Assert.Equal(expected, KeyCommand.Split(command));

    [Fact]
    public void Split_AnUnclosedQuote_IsAnError() =>
        Assert.Equal(ErrorKind.InvalidInput, Assert.Throws<SpecSynthException>(() => KeyCommand.Split("echo 'oops")).Kind);

    [Fact]
    public void WithoutAShell_ArgumentsAreNotInterpreted_AndEachLineIsAKey()
    {
        var command = new KeyCommand("claude", "printf 'key-one\\nkey-two $HOME\\n'", shell: false, ttl: null, new FakeTimeProvider());

        Assert.Equal(["key-one", "key-two $HOME"], command.GetKeys());
    }

    [Fact]
    public void WithAShell_TheShellRunsIt()
    {
        var command = new KeyCommand("claude", "echo one && echo two", shell: true, ttl: null, new FakeTimeProvider());

        Assert.Equal(["one", "two"], command.GetKeys());
    }

    [Fact]
    public void TheOutput_IsKeptForTheTtl_ThenTheCommandRunsAgain_AndRefreshRunsItAtOnce()
    {
        var time = new FakeTimeProvider();
        var counter = _dir.Combine("count");
        var script = _dir.Write("key.sh", $"n=$(cat '{counter}' 2>/dev/null || echo 0); n=$((n+1)); echo $n > '{counter}'; echo key-$n\n");
        var command = new KeyCommand("openai", $"sh {script}", shell: false, ttl: TimeSpan.FromMinutes(5), time);

        Assert.Equal("key-1", command.GetKeys()[0]);
        time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal("key-1", command.GetKeys()[0]);
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("key-2", command.GetKeys()[0]);
        Assert.Equal("key-3", command.Refresh()[0]);
        Assert.Equal(3, command.Runs);
    }

    [Fact]
    public void AFailingCommand_IsAnAuthError_NamingTheCommandAndItsStderr_NeverItsOutput()
    {
        var command = new KeyCommand("claude", "echo sk-ant-LEAKED-key; echo vault is locked >&2; exit 3", shell: true, ttl: null, new FakeTimeProvider());

        var error = Assert.Throws<SpecSynthException>(() => command.GetKeys());

        Assert.Equal(ErrorKind.Auth, error.Kind);
        Assert.Contains("api_key_command 'echo sk-ant-LEAKED-key; echo vault is locked >&2; exit 3' failed with exit code 3 (stderr: vault is locked)",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASuccessfulCommand_ItsStderrIsNotPartOfTheKey()
    {
        var command = new KeyCommand("claude", "echo the-key; echo some warning >&2", shell: true, ttl: null, new FakeTimeProvider());

        Assert.Equal(["the-key"], command.GetKeys());
    }

    [Fact]
    public void AMissingProgram_OrNoOutput_IsAnAuthError_NamingTheCommand()
    {
        var missing = Assert.Throws<SpecSynthException>(() =>
            new KeyCommand("claude", "no-such-program-specsynth --x", shell: false, ttl: null, new FakeTimeProvider()).GetKeys());
        var empty = Assert.Throws<SpecSynthException>(() =>
            new KeyCommand("claude", "true", shell: false, ttl: null, new FakeTimeProvider()).GetKeys());

        Assert.Contains("api_key_command 'no-such-program-specsynth --x' could not start", missing.Message, StringComparison.Ordinal);
        Assert.Contains("api_key_command 'true' printed no key", empty.Message, StringComparison.Ordinal);
    }
}
