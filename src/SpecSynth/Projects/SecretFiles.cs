using System.Collections.Frozen;

namespace SpecSynth.Projects;

/// <summary>
/// Files that hold or may hold secrets (environment files, keys, certificates, credential stores, Terraform
/// state, cloud and SSH config folders). They are listed but never opened. Names compare case-insensitively.
/// </summary>
internal static class SecretFiles
{
    private static readonly FrozenSet<string> Extensions = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        ".pem", ".key", ".p12", ".pfx", ".p8", ".pkcs12", ".jks", ".keystore", ".crt", ".cer", ".der", ".asc",
        ".gpg", ".pgp", ".ppk", ".kdbx", ".tfstate", ".tfvars", ".env", ".htpasswd", ".ovpn");

    private static readonly FrozenSet<string> Names = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        ".env", ".envrc", ".npmrc", ".pypirc", ".netrc", "_netrc", ".git-credentials", ".pgpass", ".dockercfg",
        ".htpasswd", "credentials", "credentials.json", "credentials.yml", "credentials.yaml", "secrets.json",
        "secrets.yml", "secrets.yaml", "kubeconfig", "master.key", "terraform.tfstate.backup");

    private static readonly FrozenSet<string> Folders = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        ".aws", ".ssh", ".gnupg", ".azure", ".kube");

    private static readonly string[] NamePrefixes =
        [".env.", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "service-account", "client_secret"];

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ExtensionLookup = Extensions.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> NameLookup = Names.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> FolderLookup = Folders.GetAlternateLookup<ReadOnlySpan<char>>();

    // Most names are none of these: a look at the length and one character (the first; an extension's second, after the
    // dot) answers them before the lookups (issue 19: this runs two or three times for every file of a walk).
    private static readonly NameScreen ExtensionScreen = new(Extensions, 1);

    private static readonly NameScreen NamesScreen = new(Names, 0);

    private static readonly NameScreen FolderScreen = new(Folders, 0);

    private static readonly NameScreen PrefixScreen = new(NamePrefixes, 0, prefixes: true);

    /// <summary>Whether the file at <paramref name="relativePath"/> (<c>/</c>-separated) must never be read. Runs for every
    /// file of a walk: looks at the path's segments in place (no string per segment).</summary>
    public static bool IsSecret(string relativePath)
    {
        ReadOnlySpan<char> path = relativePath;
        var last = path.LastIndexOf('/');
        var name = path[(last + 1)..];
        var parent = ReadOnlySpan<char>.Empty;
        if (last >= 0)
        {
            var folders = path[..last];
            while (true)
            {
                var slash = folders.IndexOf('/');
                var segment = slash < 0 ? folders : folders[..slash];
                if (FolderScreen.Admits(segment) && FolderLookup.Contains(segment))
                {
                    return true;
                }
                if (slash < 0)
                {
                    parent = segment;
                    break;
                }
                folders = folders[(slash + 1)..];
            }
        }
        var extension = Path.GetExtension(name);
        if ((NamesScreen.Admits(name) && NameLookup.Contains(name)) || (ExtensionScreen.Admits(extension) && ExtensionLookup.Contains(extension)))
        {
            return true;
        }
        if (name.Contains(".tfstate", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (last >= 0 && parent.Equals(".docker", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (!PrefixScreen.Admits(name))
        {
            return false;
        }
        foreach (var prefix in NamePrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
