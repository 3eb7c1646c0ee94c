# One image recipe for the four services: `docker build --build-arg PROJECT=Sandbox .` (docker-compose.yml passes
# PROJECT per service; the build context is the repository root).
#
# A build argument rather than the SDK's container publishing (`dotnet publish /t:PublishContainer`): the images need
# curl for the compose health check and a data folder owned by the app user, which SDK publishing cannot add without a
# custom base image of our own, and compose then needs no pre-built images (`docker compose up --build` just works).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG PROJECT
RUN test -n "$PROJECT" || (echo "Set the build argument PROJECT (Identity, Sandbox, Gateway or Portal)." >&2 && exit 1)
WORKDIR /source
# Restore first, from the project files alone, so the layer is reused until a dependency changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ServiceDefaults/ServiceDefaults.csproj src/ServiceDefaults/
COPY src/Shared/Shared.csproj src/Shared/
COPY src/${PROJECT}/${PROJECT}.csproj src/${PROJECT}/
RUN dotnet restore src/${PROJECT}/${PROJECT}.csproj
COPY src/ServiceDefaults/ src/ServiceDefaults/
COPY src/Shared/ src/Shared/
COPY src/${PROJECT}/ src/${PROJECT}/
# The Portal's API reference ships the OBIE OpenAPI documents (Portal.csproj links them from specs/); the other
# services ignore them.
COPY specs/obie-v3.1.11/ specs/obie-v3.1.11/
COPY specs/obie-v4.0/ specs/obie-v4.0/
# ...and renders docs/*.md as its guides.
COPY docs/*.md docs/
RUN dotnet publish src/${PROJECT}/${PROJECT}.csproj --configuration Release --no-restore --output /app /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
ARG PROJECT
# curl serves the container health check (docker-compose.yml).
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
RUN mkdir -p /app/data && chown app:app /app/data
ENV ASPNETCORE_HTTP_PORTS=8080
# Every project's assembly is OpenBanking.<Project> (its csproj's AssemblyName).
ENV APP_ASSEMBLY=OpenBanking.${PROJECT}.dll
EXPOSE 8080
USER app
# A shell form would not pass signals on; `exec` makes dotnet process 1, so `docker stop` shuts the service down cleanly.
ENTRYPOINT ["/bin/sh", "-c", "exec dotnet \"$APP_ASSEMBLY\" \"$@\"", "--"]
