extension ConsoleTemplates {
    static let instances = """
        <form method="get" action="/console/instances" class="filters">
        <label>Enabled <select name="enabled">{{#enabledChoices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/enabledChoices}}</select></label>
        <label>Country <input name="country" value="{{country}}" size="6"></label>
        <label>Organization <input name="organization" value="{{organization}}"></label>
        <label>Text (url, contact) <input name="text" value="{{text}}"></label>
        <label>Crawl state <select name="crawl_state">{{#crawlStates}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/crawlStates}}</select></label>
        {{#filters}}<label>Field filter (FIELD=VALUE, &lt;, &gt;) <input name="filter" value="{{.}}"></label>{{/filters}}
        <label>Sort by <input name="sort" value="{{sort}}" list="sort-fields" size="12"></label>
        <datalist id="sort-fields">{{#mainFields}}<option value="{{.}}">{{/mainFields}}</datalist>
        <label class="check"><input type="checkbox" name="desc" value="1"{{#descending}} checked{{/descending}}> Descending</label>
        <button>Show</button>
        </form>
        <p id="instances-total">{{rangeText}} of <b id="instances-count">{{total}}</b> instances</p>
        <div class="scroll">
        <table id="instances">
        <thead><tr><th>Instance</th><th>Organization</th><th>Contact</th><th>Country</th><th>Enabled</th><th>Last crawl</th><th>Registered</th></tr></thead>
        <tbody>
        {{#rows}}<tr data-uuid="{{uuid}}"><td><a href="/console/instances/{{uuid}}">{{url}}</a><br><span class="muted">{{uuid}}</span></td><td>{{organization}}</td><td>{{contact}}</td><td>{{country}}</td><td>{{enabled}}</td><td>{{lastCrawl}}</td><td>{{created}}</td></tr>
        {{/rows}}
        </tbody>
        </table>
        </div>
        <p class="pager">{{#previous}}<a href="{{previous}}" rel="prev">← Previous</a>{{/previous}}<span>Page {{page}} of {{pages}}</span>{{#next}}<a href="{{next}}" rel="next">Next →</a>{{/next}}</p>
        """
}
