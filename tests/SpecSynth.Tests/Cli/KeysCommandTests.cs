using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;

namespace SpecSynth.Tests.Cli;

/// <summary><c>specsynth keys</c> without a D-Bus session: the 0600 file store, fingerprints only, and the key source in <c>config show</c>.</summary>
public sealed class KeysCommandTests : IDisposable
{
    private const string Key = "sk-ant-api03-STORED-never-print-0123456789";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private CliRunner Cli(Dictionary<string, string>? env = null) =>
        new(_dir.Path, new Dictionary<string, string>(env ?? []) { ["SPECSYNTH_HOME"] = _dir.Combine("state") });

    [Fact]
    public async Task SetListRemove_UseTheFileStore_SayWhichStore_AndNeverPrintTheKey()
    {
        var cli = Cli();
        cli.Stdin = Encoding.UTF8.GetBytes(Key + "\n");

        var set = await cli.RunAsync("keys", "set", "anthropic");
        var list = await cli.RunAsync("keys", "list");
        var listJson = await cli.RunAsync("keys", "list", "--json");
        var path = await cli.RunAsync("keys", "path");
        var show = await cli.RunAsync("config", "show");
        var remove = await cli.RunAsync("keys", "remove", "claude");
        var after = await cli.RunAsync("keys", "list");

        var file = _dir.Combine("state", "keys.json");
        Assert.True(set.ExitCode == 0, set.Error);
        Assert.Matches($"stored the claude key \\(sha256:[0-9a-f]{{8}}\\) in the file store: {file}", set.Out);
        Assert.Contains("not used: no D-Bus session", set.Error, StringComparison.Ordinal);
        Assert.Matches("claude +file +sha256:[0-9a-f]{8}", list.Out);
        using (var doc = JsonDocument.Parse(listJson.Out))
        {
            var entry = Assert.Single(doc.RootElement.EnumerateArray());
            Assert.Equal("claude", entry.GetProperty("provider").GetString());
            Assert.Equal("file", entry.GetProperty("store").GetString());
        }
        Assert.Contains($"file: {file}", path.Out, StringComparison.Ordinal);
        Assert.Contains("# api key source: stored key (file)", show.Out, StringComparison.Ordinal);
        Assert.Contains("removed the claude key from the file store", remove.Out, StringComparison.Ordinal);
        Assert.Contains("(no stored key)", after.Out, StringComparison.Ordinal);
        foreach (var result in new[] { set, list, listJson, path, show, remove, after })
        {
            Assert.DoesNotContain(Key, result.Out + result.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Set_WithNothingOnStdin_OrAnUnknownProvider_IsBadInput()
    {
        var cli = Cli();
        cli.Stdin = [];
        var empty = await cli.RunAsync("keys", "set", "claude");
        cli.Stdin = Encoding.UTF8.GetBytes(Key);
        var unknown = await cli.RunAsync("keys", "set", "gemini");

        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("no key on standard input", empty.Error, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("unknown provider 'gemini'", unknown.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.Combine("state", "keys.json")));
    }

    [Fact]
    public async Task ConfigShow_NamesTheSourceInPrecedenceOrder_EnvironmentThenCommandThenStore()
    {
        _dir.Write("specsynth.toml", "[llm.openai]\napi_key_command = \"op read op://dev/openai/key\"\n");
        var cli = Cli(new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = Key });
        cli.Stdin = Encoding.UTF8.GetBytes("sk-openai-stored");
        await cli.RunAsync("keys", "set", "openai");

        var text = await cli.RunAsync("config", "show");
        var json = await cli.RunAsync("config", "show", "--json");

        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains("# api key: $ANTHROPIC_API_KEY set (hidden)\n# api key source: environment ($ANTHROPIC_API_KEY)\n", text.Out, StringComparison.Ordinal);
        Assert.Contains("api_key_command = \"op read op://dev/openai/key\"", text.Out, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json.Out);
        var llm = doc.RootElement.GetProperty("llm");
        Assert.Equal("api_key_command", llm.GetProperty("openai").GetProperty("key_source").GetString());
        Assert.Equal("none", llm.GetProperty("ollama").GetProperty("key_source").GetString());
        Assert.DoesNotContain(Key, text.Out + json.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-openai-stored", text.Out + json.Out, StringComparison.Ordinal);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task AKeyFileOthersMayRead_IsRefused_ByList()
    {
        var cli = Cli();
        cli.Stdin = Encoding.UTF8.GetBytes(Key);
        await cli.RunAsync("keys", "set", "claude");
        var file = _dir.Combine("state", "keys.json");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var list = await cli.RunAsync("keys", "list");

        Assert.Equal(3, list.ExitCode);
        Assert.Contains($"chmod 600 {file}", list.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SPECSYNTH_KEY_STORE_IsNamedAsTheReason_AndAnotherSystemsStore_IsBadInputNamingTheAllowedValues()
    {
        var foreign = OperatingSystem.IsWindows() ? "keychain" : "credential-manager";
        var file = Cli(new Dictionary<string, string> { ["SPECSYNTH_KEY_STORE"] = "file" });
        file.Stdin = Encoding.UTF8.GetBytes(Key + "\n");
        var wrong = Cli(new Dictionary<string, string> { ["SPECSYNTH_KEY_STORE"] = foreign });
        wrong.Stdin = Encoding.UTF8.GetBytes(Key + "\n");

        var set = await file.RunAsync("keys", "set", "claude");
        var refused = await wrong.RunAsync("keys", "set", "claude");

        Assert.True(set.ExitCode == 0, set.Error);
        Assert.Contains("in the file store", set.Out, StringComparison.Ordinal);
        Assert.Contains("note: SPECSYNTH_KEY_STORE=file chose this store", set.Error, StringComparison.Ordinal);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"SPECSYNTH_KEY_STORE={foreign} is the", refused.Error, StringComparison.Ordinal);
        Assert.Matches("not available on [^:]+: use file, [a-z-]+ or auto", refused.Error);
        Assert.DoesNotContain(Key, refused.Out + refused.Error, StringComparison.Ordinal);
    }
}
