extension ConsoleTemplates {
    static let instance = """
        <div class="charts">
        <section>
        <h2>Main fields</h2>
        <table id="main-fields"><tbody>
        {{#main}}<tr><th scope="row">{{label}}</th><td>{{value}}</td></tr>{{/main}}
        </tbody></table>
        </section>
        <section>
        <h2>Location</h2>
        {{{map}}}
        </section>
        </div>
        <h2>Crawled fields</h2>
        <table id="crawled-fields"><tbody>
        {{#crawled}}<tr data-field="{{name}}"><th scope="row">{{label}}</th><td>{{value}}</td></tr>{{/crawled}}
        {{^crawled}}<tr><td class="muted">Nothing crawled yet.</td></tr>{{/crawled}}
        </tbody></table>
        <h2>Crawl history</h2>
        <table id="crawl-history"><thead><tr><th>Time</th><th>Outcome</th><th>HTTP status</th><th>Detail</th></tr></thead><tbody>
        {{#history}}<tr><td>{{time}}</td><td>{{result}}</td><td class="num">{{status}}</td><td>{{detail}}</td></tr>{{/history}}
        {{^history}}<tr><td colspan="4" class="muted">Never crawled.</td></tr>{{/history}}
        </tbody></table>
        <h2>Agent</h2>
        {{#agent}}
        <table id="agent"><tbody>
        <tr><th scope="row">Agent</th><td>{{id}}</td></tr><tr><th scope="row">Site</th><td>{{site}}</td></tr>
        <tr><th scope="row">Host</th><td>{{hostname}}</td></tr><tr><th scope="row">Version</th><td>{{version}}</td></tr>
        <tr><th scope="row">Last seen</th><td>{{lastSeen}}</td></tr><tr><th scope="row">Connected</th><td>{{connected}}</td></tr>
        {{#stats}}<tr><th scope="row">{{label}}</th><td>{{value}}</td></tr>{{/stats}}
        </tbody></table>
        {{/agent}}
        {{^agent}}<p class="muted">No agent: the collector crawls this instance itself.</p>{{/agent}}
        {{#admin}}
        <h2>Admin</h2>
        <form method="post" action="/console/instances/{{uuid}}/edit" class="panel" id="edit-instance">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>URL <input name="url" value="{{url}}" size="32"></label>
        <label>Contact <input name="contact" value="{{contact}}"></label>
        <label>Email <input name="email" value="{{email}}"></label>
        <label>Organization <input name="organization" value="{{organization}}"></label>
        <button id="save-instance">Save</button>
        </form>
        <form method="post" action="/console/instances/{{uuid}}/{{toggleAction}}" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button id="toggle-instance">{{toggleLabel}}</button></form>
        <form method="post" action="/console/instances/{{uuid}}/crawl" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button id="crawl-instance">Crawl now</button></form>
        <form method="post" action="/console/instances/{{uuid}}/delete" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button class="danger" id="delete-instance">Delete</button></form>
        {{/admin}}
        """
}
