# Varnish in front of newsdesk nodes: a shared cache tier that keeps what
# newsdesk marks public (Cache-Control: public, s-maxage) and drops pages
# by key when newsdesk sends a purge after each commit
# (serve --purge-url http://VARNISH:6081/ --purge-kind varnish).
#
# Debian: apt-get install varnish varnish-modules (vmod xkey). Put this
# file at /etc/varnish/default.vcl, or pass it with varnishd -f.
#
# Edit: one backend per newsdesk node (copy node1, add it in vcl_init),
# and the addresses allowed to purge (the nodes).
vcl 4.1;

import directors;
import std;
import xkey;

probe ready {
    .url = "/readyz";
    .interval = 2s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
}

backend node1 {
    .host = "127.0.0.1";
    .port = "8080";
    .probe = ready;
}

sub vcl_init {
    new nodes = directors.round_robin();
    nodes.add_backend(node1);
}

# Who may purge: the newsdesk nodes (their addresses as Varnish sees them).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    set req.backend_hint = nodes.backend();
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is not allowed from " + client.ip));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "A purge names its keys in xkey-purge"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone + " objects"));
    }
    # The desk, the API and the health checks are never cached here.
    if (req.url ~ "^/(desk|api)([/?]|$)" || req.url ~ "^/(healthz|readyz)([?]|$)") {
        return (pass);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # A signed-in member of staff, or a reader with comments awaiting
    # moderation, sees a page of their own; newsdesk's other cookies (the
    # commenter's remembered name) change nothing a page shows.
    if (req.http.Cookie ~ "(^|;\s*)(nd_session|nd_comments)=") {
        return (pass);
    }
    unset req.http.Cookie;
    unset req.http.Authorization;
    # One stored copy per encoding newsdesk sends (br, gzip or none), not
    # one per way a browser writes Accept-Encoding. Each is fetched and
    # kept as newsdesk made it: a reader whose client takes no gzip gets
    # the plain copy rather than one gunzipped for every request. (An
    # encoding listed with q=0 is refused.)
    if (req.http.Accept-Encoding ~ "(^|,)\s*br\s*(,|$|;\s*q=(1|0\.0*[1-9]))") {
        set req.http.X-Newsdesk-Encoding = "br";
    } elsif (req.http.Accept-Encoding ~ "(^|,)\s*(x-)?gzip\s*(,|$|;\s*q=(1|0\.0*[1-9]))") {
        set req.http.X-Newsdesk-Encoding = "gzip";
    } else {
        set req.http.X-Newsdesk-Encoding = "identity";
    }
    return (hash);
}

sub vcl_hash {
    hash_data(req.http.X-Newsdesk-Encoding);
    # The built-in vcl_hash adds the URL and host.
}

sub vcl_backend_fetch {
    # Ask newsdesk for the encoding this copy is kept in (Varnish's own
    # gzip handling would ask for gzip whatever the reader takes).
    if (bereq.http.X-Newsdesk-Encoding == "identity") {
        unset bereq.http.Accept-Encoding;
    } elsif (bereq.http.X-Newsdesk-Encoding) {
        set bereq.http.Accept-Encoding = bereq.http.X-Newsdesk-Encoding;
    }
    unset bereq.http.X-Newsdesk-Encoding;
}

sub vcl_backend_response {
    # Only what newsdesk marks public is kept, for its s-maxage (grace from
    # stale-while-revalidate); anything private, uncacheable or setting a
    # cookie is fetched each time (remembered as such for two minutes).
    # "no-cache" beside an s-maxage asks browsers to revalidate; this tier
    # follows s-maxage and hears purges.
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control !~ "public" ||
        beresp.http.Cache-Control ~ "(private|no-store)" ||
        (beresp.http.Cache-Control ~ "no-cache" && beresp.http.Cache-Control !~ "s-maxage")) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # The node's request id and its own cache's verdict describe the
    # fetch, not the readers this copy will serve (X-Varnish names each
    # request here, X-Varnish-Cache says hit or miss).
    unset beresp.http.X-Request-Id;
    unset beresp.http.X-Cache;
    # vmod xkey indexes the object by the keys in its xkey header.
    return (deliver);
}

sub vcl_deliver {
    # The keys are for this tier only.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    if (obj.hits > 0) {
        set resp.http.X-Varnish-Cache = "hit";
    } else {
        set resp.http.X-Varnish-Cache = "miss";
    }
}
