using Firecrest.Server;

var builder = WebApplication.CreateBuilder(args);
builder.AddFirecrestServer();

var app = builder.Build();
app.UseFirecrestServer();
app.MapFirecrestApis();
app.Run();

/// <summary>Entry point (public for WebApplicationFactory).</summary>
public partial class Program;
