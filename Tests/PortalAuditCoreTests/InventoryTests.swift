import Foundation
import PortalAuditCore
import Testing

@Suite("Inventory")
struct InventoryTests {
    private func write(_ text: String, ext: String, bom: Bool = false) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("inv-\(UUID().uuidString).\(ext)").path
        var data = Data(text.utf8)
        if bom { data.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: 0) }
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a unit's alert recipients: alerts_to: (from defaults: too) and the addresses in contact:; a bad one located")
    func alertRecipients() throws {
        let path = try write(
            """
            defaults:
              alerts_to: "vp@yenthai.gov.vn; it@laocai.gov.vn"
            portals:
              - url: https://a.gov.vn/
                contact: "Văn phòng UBND xã (vp@yenthai.gov.vn), 0214 3850 000, ubnd@a.gov.vn"
              - url: https://b.gov.vn/
                alerts_to: "b@b.gov.vn, not an address"
            """, ext: "yaml")
        let error = #expect(throws: InputIssues.self) { try Inventory.load(path) }
        let text = (error?.issues ?? []).map(\.description)
        #expect(
            text == [
                "\(path):7:16: error: alerts_to: expected e-mail addresses separated by commas, found 'not an address'"
            ], "\(text)")
        try
            "defaults:\n  alerts_to: \"vp@yenthai.gov.vn; it@laocai.gov.vn\"\nportals:\n  - url: https://a.gov.vn/\n    contact: \"Văn phòng (vp@yenthai.gov.vn), 0214 3850 000, ubnd@a.gov.vn\"\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let target = try #require(try Inventory.load(path).targets.first)
        #expect(target.unitRecipients == ["vp@yenthai.gov.vn", "it@laocai.gov.vn", "ubnd@a.gov.vn"])
    }

    @Test("YAML with defaults, hierarchy, level, address and http_port")
    func yaml() throws {
        let path = try write(
            """
            authorised: true
            defaults: { province: "Tỉnh Thanh Hóa", level: 2 }
            portals:
              - url: https://yendinh.thanhhoa.gov.vn/
                name: "Cổng thông tin điện tử huyện Yên Định"
              - url: https://xa-yenthai.yendinh.thanhhoa.gov.vn:8443/
                name: "Trang thông tin điện tử xã Yên Thái"
                district: "Huyện Yên Định"
                commune: "Xã Yên Thái"
                level: 3
                address: 127.0.0.1
                http_port: 8080
            """, ext: "yaml")
        let inventory = try Inventory.load(path)
        #expect(inventory.authorised)
        #expect(inventory.entries.count == 2)
        let second = inventory.targets[1]
        #expect(second.province == "Tỉnh Thanh Hóa")
        #expect(second.commune == "Xã Yên Thái")
        #expect(second.level == 3)
        #expect(second.httpsPort == 8443 && second.httpPort == 8080)
        #expect(second.address == "127.0.0.1")
        #expect(inventory.targets[0].level == 2)
        #expect(inventory.entries[1].line == 6)
    }

    @Test("every YAML problem is listed with its position")
    func yamlErrors() throws {
        let path = try write(
            """
            portals:
              - url: https://a.gov.vn/
                levle: 2
              - url: https://a.gov.vn/
              - url: "ftp://b.gov.vn/"
              - name: "no url"
              - url: https://c.gov.vn/
                level: 7
                http_port: http
                address: somewhere
            colour: red
            """, ext: "yaml")
        let error = #expect(throws: InputIssues.self) { try Inventory.load(path) }
        let text = (error?.issues ?? []).map(\.description)
        #expect(
            text.contains {
                $0.hasSuffix(
                    ":3:12: error: levle: unknown key (allowed: url, name, province, district, commune, level, owner, contact, address, http_port, verification, alerts_to)"
                )
            })
        #expect(text.contains { $0.hasSuffix(":4:10: error: url: duplicate of the portal on line 2") })
        #expect(
            text.contains { $0.hasSuffix(":5:10: error: url: 'ftp://b.gov.vn/' is not an http(s) URL or host name") })
        #expect(text.contains { $0.hasSuffix(":6:5: error: url: missing (every portal needs a url)") })
        #expect(text.contains { $0.hasSuffix(":8:12: error: level: expected a security level 1…5, found '7'") })
        #expect(text.contains { $0.hasSuffix(":9:16: error: http_port: expected a port number 1…65535, found 'http'") })
        #expect(
            text.contains {
                $0.hasSuffix(
                    ":10:14: error: address: expected an IPv4 or IPv6 address (or several, comma-separated), found 'somewhere'"
                )
            })
        #expect(
            text.contains {
                $0.hasSuffix(
                    ":11:1: error: colour: unknown key (allowed: authorisation, authorised, defaults, portals)")
            }
        )
        #expect(text.count == 8)
    }

    @Test("CSV as Excel writes it in Vietnam: BOM, semicolons, quotes, CRLF")
    func csv() throws {
        let path = try write(
            "url;name;province;commune;level\r\n"
                + "https://a.gov.vn/;\"Cổng \"\"A\"\"; xã\";Tỉnh Nghệ An;Xã Bình Minh;2\r\n"
                + "b.gov.vn;Trang B;Tỉnh Nghệ An;;3\r\n\r\n",
            ext: "csv", bom: true)
        let inventory = try Inventory.load(path)
        #expect(inventory.entries.count == 2)
        #expect(inventory.targets[0].name == "Cổng \"A\"; xã")
        #expect(inventory.targets[0].commune == "Xã Bình Minh")
        #expect(inventory.targets[1].url == "https://b.gov.vn/")
        #expect(inventory.targets[1].level == 3)
        #expect(inventory.targets[1].commune == nil)
    }

    @Test("CSV with commas and every error located")
    func csvErrors() throws {
        let path = try write(
            "url,name,colour\nhttps://a.gov.vn/,A,red\nhttps://a.gov.vn/,A again,\nnot a url,C,\nhttps://d.gov.vn/,D,x,extra\n",
            ext: "csv")
        let error = #expect(throws: InputIssues.self) { try Inventory.load(path) }
        let text = (error?.issues ?? []).map(\.description)
        #expect(
            text.contains {
                $0.hasSuffix(
                    ":1:10: error: colour: unknown column (allowed: url, name, province, district, commune, level, owner, contact, address, http_port, verification, alerts_to)"
                )
            })
        #expect(text.contains { $0.hasSuffix(":3:1: error: url: duplicate of the portal on line 2") })
        #expect(text.contains { $0.hasSuffix(":4:1: error: url: 'not a url' is not an http(s) URL or host name") })
        #expect(text.contains { $0.hasSuffix(":5:23: error: more cells (4) than header columns (3)") })
        #expect(text.count == 4)
    }

    @Test("an unreadable inventory is one clear error")
    func unreadable() {
        let error = #expect(throws: InputIssues.self) { try Inventory.load("/nonexistent/inventory.yaml") }
        #expect(
            error?.issues.first?.description == "/nonexistent/inventory.yaml: error: cannot read the inventory file")
    }
}
