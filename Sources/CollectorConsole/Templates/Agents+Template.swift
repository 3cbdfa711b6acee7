extension ConsoleTemplates {
    static let agents = """
        <div id="agents-live" data-live>
        <p class="figure">Connected now: <b id="connected-count">{{connectedCount}}</b> of {{total}}</p>
        <div class="scroll">
        <table id="agents">
        <thead><tr><th>Agent</th><th>Site</th><th>Host</th><th>Version</th><th>Instance</th><th>Last seen</th><th>Connected</th><th class="num">Batches stored</th><th class="num">Spool</th><th class="num">Batches dropped</th></tr></thead>
        <tbody>
        {{#agents}}<tr data-agent="{{id}}"><td>{{id}}</td><td>{{site}}</td><td>{{hostname}}</td><td>{{version}}</td><td>{{#instance}}<a href="/console/instances/{{instance}}">{{instance}}</a>{{/instance}}</td><td>{{lastSeen}}</td><td class="connected">{{connected}}</td><td class="num">{{batches}}</td><td class="num spool">{{spool}}</td><td class="num">{{dropped}}</td></tr>
        {{/agents}}
        {{^agents}}<tr><td colspan="10" class="muted">No agent has registered yet.</td></tr>{{/agents}}
        </tbody>
        </table>
        </div>
        {{#agents}}
        <section class="host" id="host-{{id}}">
        <h2>{{hostname}} <span class="muted">({{id}})</span></h2>
        {{{charts}}}
        </section>
        {{/agents}}
        </div>
        """
}
