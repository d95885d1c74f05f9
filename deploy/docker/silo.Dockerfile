# The silo (control plane). Build from the repository root:
#   docker build -f deploy/docker/silo.Dockerfile -t infera-silo .

# Only the project files, so the restore layer below is reused until a project file or a package version changes.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS projects
WORKDIR /src
COPY src/ src/
RUN find src -type f ! -name '*.csproj' -delete

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json nuget.config Directory.*.props .editorconfig ./
COPY --from=projects /src/src/ src/
RUN dotnet restore src/SiloHost/Infera.SiloHost.csproj
COPY src/ src/
RUN dotnet publish src/SiloHost/Infera.SiloHost.csproj -c Release -o /app --no-restore -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# The host's own default is loopback, which nothing outside the container can reach.
ENV ASPNETCORE_URLS=http://0.0.0.0:8081
USER $APP_UID
EXPOSE 8081
ENTRYPOINT ["dotnet", "infera-silo.dll"]
