using System.Text.Json;

namespace SpecSynth.Providers.Keys;

/// <summary>
/// The keys in one JSON file (<c>keys.json</c> in the state folder) that only its owner may read: created with mode
/// 0600, and refused, as ssh refuses a private key, when its group or others may read or write it. Used where no
/// secret store of the operating system is available.
/// </summary>
internal sealed class FileKeyStore(string path) : IKeyStore
{
    /// <summary>The file's name in the state folder.</summary>
    public const string FileName = "keys.json";

    private const UnixFileMode TooOpen = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public string Name => "file";

    public string Location => path;

    public string? Get(string provider) => Read().TryGetValue(provider, out var key) ? key : null;

    public void Set(string provider, string key)
    {
        var keys = Read();
        keys[provider] = key;
        Write(keys);
    }

    public bool Remove(string provider)
    {
        var keys = Read();
        if (!keys.Remove(provider))
        {
            return false;
        }
        Write(keys);
        return true;
    }

    private SortedDictionary<string, string> Read()
    {
        if (!File.Exists(path))
        {
            return new SortedDictionary<string, string>(StringComparer.Ordinal);
        }
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & TooOpen) != 0)
        {
            var mode = Convert.ToString((int)File.GetUnixFileMode(path), 8);
            throw new SpecSynthException(ErrorKind.Auth,
                $"{path} has mode 0{mode}: a key file others may read is refused; run 'chmod 600 {path}' (or 'specsynth keys set' again)");
        }
        try
        {
            var keys = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) ?? [];
            return new SortedDictionary<string, string>(keys, StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, $"{path} is not a JSON object of provider names and keys");
        }
    }

    private void Write(SortedDictionary<string, string> keys)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.Delete(temp);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, keys);
        }
        File.Move(temp, path, overwrite: true);
    }
}
