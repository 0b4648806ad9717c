# servicefit serve in a container. Written without Docker at hand: it has
# not been built. Build: docker build -t servicefit .
# Run:   docker run -p 8080:8080 -v sf-data:/data servicefit
# Add an assessor: docker run -i -v sf-data:/data servicefit user add --db /data/servicefit.db alice
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked

FROM debian:bookworm-slim
RUN useradd --system --home /data servicefit && mkdir /data && chown servicefit /data
COPY --from=build /src/target/release/servicefit /usr/local/bin/servicefit
USER servicefit
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["servicefit"]
CMD ["serve", "--db", "/data/servicefit.db", "--listen", "0.0.0.0:8080"]
