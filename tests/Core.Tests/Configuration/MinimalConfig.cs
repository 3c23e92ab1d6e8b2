namespace Firecrest.Core.Tests.Configuration;

/// <summary>Builds small valid configurations in snake_case or camelCase for loader tests.</summary>
internal static class MinimalConfig
{
    public const string Auth = """
        auth:
          authentication:
            token_url: "http://127.0.0.1:8080/token"
        """;

    /// <summary>A valid cluster entry (list item, two-space indented under <c>clusters:</c>).</summary>
    public static string Cluster(string name = "Alpha", string extraSsh = "", string extraScheduler = "", string probing = "  probing: {}", string extra = "") => $"""
        - name: "{name}"
          ssh:
            host: "127.0.0.1"
            port: 2222
        {Indent(extraSsh, 4)}
          scheduler:
            type: slurm
            version: "22.05.8"
        {Indent(extraScheduler, 4)}
        {probing}
          file_systems:
            - path: /home
              data_type: users
              default_work_dir: true
        {extra}
        """;

    public static string With(params string[] clusters) => Auth + "\nclusters:\n" + string.Join("\n", clusters) + "\n";

    private static string Indent(string text, int spaces) =>
        string.Join("\n", text.Split('\n').Select(l => l.Length == 0 ? l : new string(' ', spaces) + l));
}
